package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/wait"

	"github.com/stsconform/stsconform/framework/cluster"
	"github.com/stsconform/stsconform/framework/config"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/kube"
	"github.com/stsconform/stsconform/framework/progress"
	"github.com/stsconform/stsconform/framework/report"
	"github.com/stsconform/stsconform/framework/suiterun"
	"github.com/stsconform/stsconform/incluster"
)

func (f *runFlags) validateInCluster() error {
	if f.Kubeconfig == "" {
		return errors.New("--kubeconfig (or KUBECONFIG) must name the cluster to certify")
	}
	if _, err := os.Stat(f.Kubeconfig); err != nil {
		return fmt.Errorf("--kubeconfig %s: %w", f.Kubeconfig, err)
	}
	for _, d := range []struct {
		flag string
		v    time.Duration
	}{{"timeout-start", f.StartTimeout}, {"timeout-unschedulable", f.Unschedulable}, {"poll-interval", f.Poll}} {
		if d.v <= 0 {
			return fmt.Errorf("--%s %s: want a positive duration", d.flag, d.v)
		}
	}
	if _, err := f.Placement.parse(); err != nil {
		return err
	}
	_, err := f.runnerEnv()
	return err
}

// runnerEnv are the conformance image's variables for this run (the
// runner's own flags, the run id and the image mapping are added by
// incluster.BuildObjects).
func (f *runFlags) runnerEnv() (map[string]string, error) {
	ginkgo, err := oneWord("E2E_EXTRA_GINKGO_ARGS", append(f.GinkgoArgs, "--timeout="+f.Timeout.String()))
	if err != nil {
		return nil, err
	}
	suite, err := oneWord("E2E_EXTRA_ARGS", f.SuiteArgs)
	if err != nil {
		return nil, err
	}
	return map[string]string{
		"E2E_FOCUS": f.Focus, "E2E_SKIP": f.Skip, incluster.LabelFilterEnv: f.LabelFilter, "E2E_PARALLEL": fmt.Sprint(f.Procs),
		"E2E_EXTRA_ARGS": suite, "E2E_EXTRA_GINKGO_ARGS": ginkgo,
	}, nil
}

func runInCluster(ctx context.Context, out io.Writer, f runFlags) (err error) {
	env, err := f.runnerEnv()
	if err != nil {
		return err
	}
	placement, err := f.Placement.parse()
	if err != nil {
		return err
	}
	set, err := (&config.Config{ImagesFile: f.ImagesFile, ImageRegistry: f.Registry}).Images()
	if err != nil {
		return err
	}
	cl, err := cluster.UseExisting(ctx, f.Kubeconfig)
	if err != nil {
		return err
	}
	c, err := kube.NewClients(f.Kubeconfig)
	if err != nil {
		return err
	}
	if local := set.LocalRefs(); len(local) > 0 {
		if !cl.Kind {
			return fmt.Errorf("images %v are built on this host and no registry serves them; this cluster is not a kind cluster this host's Docker can side-load into: push them (stsconform images push) and pass --images", local)
		}
		fmt.Fprintf(out, "side-loading %v into kind cluster %s\n", local, cl.Name)
		if err := cl.LoadImages(ctx, local); err != nil {
			return err
		}
	}
	runID := suiterun.NewRunID()
	ns, err := kube.CreateNamespace(ctx, c.Kube, "stsconform-runner", incluster.RunnerNamespaceRunID(runID))
	if err != nil {
		return fmt.Errorf("in-cluster run: %w", err)
	}
	mode, _ := progress.ParseMode(f.Progress)
	// The runner in the pod cannot tell whether anyone watches: this end
	// decides, and gives it the spec times of the last run in --artifacts.
	last, _ := progress.TimesFromReport(f.lastReport())
	objs, err := incluster.BuildObjects(incluster.JobInput{RunID: runID, Namespace: ns.Name, Images: set, Env: env, Timeout: f.Timeout,
		Progress: mode.On(out), Times: last, Placement: placement})
	if err != nil {
		return err
	}
	// Whatever happens from here (Ctrl-C included), the Job, the RBAC and
	// every namespace of the run go.
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Minute)
		defer cancel()
		rerr := incluster.Remove(cctx, c.Kube, objs)
		left, nerr := kube.DeleteManagedNamespaces(cctx, c.Kube, runID)
		rnerr := kube.DeleteNamespace(cctx, c.Kube, ns.Name)
		fmt.Fprintf(out, "deleted the runner's Job, ClusterRole, binding and namespace %s", ns.Name)
		if len(left) > 0 {
			fmt.Fprintf(out, ", and namespaces the suite left: %v", left)
		}
		fmt.Fprintln(out)
		err = errors.Join(err, rerr, nerr, rnerr)
	}()
	fmt.Fprintf(out, "run %s: Job %s/%s with image %s\n", runID, ns.Name, objs.Job.Name, set.Ref(images.Runner))
	if err := incluster.Apply(ctx, c.Kube, objs); err != nil {
		return err
	}
	var pod *corev1.Pod
	var startErr error
	err = wait.PollUntilContextTimeout(ctx, f.Poll, f.StartTimeout, true, func(ctx context.Context) (bool, error) {
		p, err := incluster.RunnerPod(ctx, c.Kube, objs.Job)
		if err != nil {
			return false, err
		}
		pod = p
		if startErr = incluster.StartFailure(p, f.Unschedulable, time.Now()); startErr != nil {
			return false, startErr
		}
		return incluster.RunnerStarted(p), nil
	})
	switch {
	case startErr != nil:
		return startErr
	case err != nil && ctx.Err() == nil:
		return fmt.Errorf("the runner did not start within %s%s", f.StartTimeout, describePod(pod))
	case err != nil:
		return err
	}
	fmt.Fprintf(out, "runner pod %s on node %s\n", pod.Name, pod.Spec.NodeName)
	logDone := make(chan error, 1)
	go func() { logDone <- incluster.FollowLog(ctx, c.Kube, pod, out) }()
	var code int32
	err = wait.PollUntilContextTimeout(ctx, 5*f.Poll, f.Timeout+incluster.InterruptGrace, true, func(ctx context.Context) (bool, error) {
		p, err := incluster.RunnerPod(ctx, c.Kube, objs.Job)
		if err != nil || p == nil {
			return false, err
		}
		var ended bool
		code, ended = incluster.RunnerExit(p)
		return ended, nil
	})
	if err != nil {
		return fmt.Errorf("waiting for the runner: %w", err)
	}
	if lerr := <-logDone; lerr != nil {
		fmt.Fprintf(out, "following the runner's log: %v\n", lerr)
	}
	if err := os.MkdirAll(f.Artifacts, 0o755); err != nil {
		return err
	}
	if err := incluster.Collect(ctx, incluster.CollectInput{Config: c.Config, Client: c.Kube, Pod: pod, Dest: f.Artifacts, Timeout: 2 * time.Minute}); err != nil {
		return err
	}
	fmt.Fprintf(out, "results copied into %s\n", f.Artifacts)
	// The runner wrote the report in the pod, after Ginkgo's reports, as
	// make e2e does: it is read here to print, not rendered again.
	r, err := report.Load(f.Artifacts)
	if err != nil {
		return err
	}
	if !f.quiet {
		fmt.Fprint(out, r.Summary())
	}
	if code != 0 {
		return exitError{code: int(code), err: fmt.Errorf("the suite failed in the cluster (runner exit code %d); see %s", code, filepath.Join(f.Artifacts, report.HTMLFile))}
	}
	return nil
}

func describePod(p *corev1.Pod) string {
	if p == nil {
		return " (no runner pod was created: see the Job's events)"
	}
	return fmt.Sprintf(" (pod %s/%s phase %s on node %q)", p.Namespace, p.Name, p.Status.Phase, p.Spec.NodeName)
}
