package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/apimachinery/pkg/util/wait"

	"github.com/stsconform/stsconform/framework/cluster"
	"github.com/stsconform/stsconform/framework/config"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/kube"
	"github.com/stsconform/stsconform/framework/report"
	"github.com/stsconform/stsconform/incluster"
)

type runFlags struct {
	inCluster               bool
	kubeconfig, artifacts   string
	imagesFile, registry    string
	focus, skip             string
	procs                   int
	suiteFlags, ginkgoFlags string
	timeout, startTimeout   time.Duration
	unschedulable, poll     time.Duration
}

func newRunCommand() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run --in-cluster",
		Short: "Run the suite from a pod of the cluster under test and copy its results back",
		Long: `run --in-cluster starts the runner image (make runner-image; the runner role of
the image mapping) as a Job in the cluster of --kubeconfig, with a ServiceAccount
bound to the suite's ClusterRole (fixtures/incluster/clusterrole.yaml) and
nothing more. It streams the suite's output, copies its results into
--artifacts (the files of a local run: JUnit, certification report, timelines,
diagnostics), deletes what it created and the specs' namespaces, also on
Ctrl-C, and exits non-zero when the suite failed. On a kind cluster that this
host's Docker runs, locally built images are side-loaded first; any other
cluster must pull them (stsconform images push, then --images).

Node failure needs this host to stop a kind node: in the cluster that spec is
skipped and reported "not verified". The runner's own node takes no workload,
so no spec drains, cordons or stops it.`,
		Example: `  stsconform run --in-cluster --kubeconfig _artifacts/kubeconfig
  stsconform run --in-cluster --kubeconfig ~/.kube/config --images images.yaml --focus 'drain'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !f.inCluster {
				return errors.New("run needs --in-cluster (to run the suite from this host, use make e2e)")
			}
			return runInCluster(cmd.Context(), cmd.OutOrStdout(), f)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.inCluster, "in-cluster", false, "run the suite from a pod of the cluster (the only mode of run)")
	fl.StringVar(&f.kubeconfig, "kubeconfig", os.Getenv("KUBECONFIG"), "kubeconfig of the cluster to certify")
	fl.StringVar(&f.artifacts, "artifacts", config.DefaultArtifacts, "directory the results are copied into")
	fl.StringVar(&f.imagesFile, "images", "", "file mapping image roles (the runner's included) to references the cluster can pull")
	fl.StringVar(&f.registry, "image-registry", "", "re-home every image, the runner's included, under this registry")
	fl.StringVar(&f.focus, "focus", "", "run only the specs matching this regular expression (E2E_FOCUS)")
	fl.StringVar(&f.skip, "skip", "", "skip the specs matching this regular expression (E2E_SKIP)")
	fl.IntVar(&f.procs, "procs", incluster.DefaultProcs, "parallel Ginkgo processes in the runner pod")
	fl.StringVar(&f.suiteFlags, "suite-flags", "", "more flags for the suite, space-separated (E2E_EXTRA_ARGS), e.g. '--timeout-dns=3m'")
	fl.StringVar(&f.ginkgoFlags, "ginkgo-flags", "", "more flags for Ginkgo, space-separated (E2E_EXTRA_GINKGO_ARGS)")
	fl.DurationVar(&f.timeout, "timeout", 60*time.Minute, "the suite's timeout")
	fl.DurationVar(&f.startTimeout, "timeout-start", 5*time.Minute, "the runner pod started (its image pulled)")
	fl.DurationVar(&f.unschedulable, "timeout-unschedulable", time.Minute, "how long the runner pod may find no node")
	fl.DurationVar(&f.poll, "poll-interval", 2*time.Second, "how often the runner pod is looked at")
	return cmd
}

func runInCluster(ctx context.Context, out io.Writer, f runFlags) (err error) {
	if f.kubeconfig == "" {
		return errors.New("--kubeconfig (or KUBECONFIG) must name the cluster to certify")
	}
	cl, err := cluster.UseExisting(ctx, f.kubeconfig)
	if err != nil {
		return err
	}
	c, err := kube.NewClients(f.kubeconfig)
	if err != nil {
		return err
	}
	set, err := (&config.Config{ImagesFile: f.imagesFile, ImageRegistry: f.registry}).Images()
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
	runID := time.Now().UTC().Format("20060102-150405") + "-" + rand.String(4)
	ns, err := kube.CreateNamespace(ctx, c.Kube, "stsconform-runner", incluster.RunnerNamespaceRunID(runID))
	if err != nil {
		return fmt.Errorf("in-cluster run: %w", err)
	}
	env := map[string]string{
		"E2E_FOCUS": f.focus, "E2E_SKIP": f.skip, "E2E_PARALLEL": fmt.Sprint(f.procs),
		"E2E_EXTRA_ARGS": f.suiteFlags, "E2E_EXTRA_GINKGO_ARGS": f.ginkgoFlags + " --timeout=" + f.timeout.String(),
	}
	objs, err := incluster.BuildObjects(incluster.JobInput{RunID: runID, Namespace: ns.Name, Images: set, Env: env, Timeout: f.timeout})
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
	err = wait.PollUntilContextTimeout(ctx, f.poll, f.startTimeout, true, func(ctx context.Context) (bool, error) {
		p, err := incluster.RunnerPod(ctx, c.Kube, objs.Job)
		if err != nil {
			return false, err
		}
		pod = p
		if startErr = incluster.StartFailure(p, f.unschedulable, time.Now()); startErr != nil {
			return false, startErr
		}
		return incluster.RunnerStarted(p), nil
	})
	switch {
	case startErr != nil:
		return startErr
	case err != nil && ctx.Err() == nil:
		return fmt.Errorf("the runner did not start within %s%s", f.startTimeout, describePod(pod))
	case err != nil:
		return err
	}
	fmt.Fprintf(out, "runner pod %s on node %s\n", pod.Name, pod.Spec.NodeName)
	logDone := make(chan error, 1)
	go func() { logDone <- incluster.FollowLog(ctx, c.Kube, pod, out) }()
	var code int32
	err = wait.PollUntilContextTimeout(ctx, 5*f.poll, f.timeout+incluster.InterruptGrace, true, func(ctx context.Context) (bool, error) {
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
	if err := os.MkdirAll(f.artifacts, 0o755); err != nil {
		return err
	}
	if err := incluster.Collect(ctx, incluster.CollectInput{Config: c.Config, Client: c.Kube, Pod: pod, Dest: f.artifacts, Timeout: 2 * time.Minute}); err != nil {
		return err
	}
	fmt.Fprintf(out, "results copied into %s\n", f.artifacts)
	// The runner wrote the report in the pod, after Ginkgo's reports, as
	// make e2e does: it is read here to print, not rendered again.
	r, err := report.Load(f.artifacts)
	if err != nil {
		return err
	}
	fmt.Fprint(out, r.Summary())
	if code != 0 {
		return fmt.Errorf("the suite failed in the cluster (runner exit code %d); see %s", code, filepath.Join(f.artifacts, "report.html"))
	}
	return nil
}

func describePod(p *corev1.Pod) string {
	if p == nil {
		return " (no runner pod was created: see the Job's events)"
	}
	return fmt.Sprintf(" (pod %s/%s phase %s on node %q)", p.Namespace, p.Name, p.Status.Phase, p.Spec.NodeName)
}
