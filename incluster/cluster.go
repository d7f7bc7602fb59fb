package incluster

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/stsconform/stsconform/framework/imagecheck"
	"github.com/stsconform/stsconform/framework/podexec"
	"github.com/stsconform/stsconform/incluster/layout"
)

// Apply creates the run's objects. A refusal names the object and what the
// caller's credentials lack: granting the runner its ClusterRole needs
// rights to create RBAC objects (cluster-admin, or escalate and bind).
func Apply(ctx context.Context, c kubernetes.Interface, o *Objects) error {
	ns := o.Job.Namespace
	steps := []struct {
		kind, name string
		create     func() error
	}{
		{"ServiceAccount", ns + "/" + o.ServiceAccount.Name, func() error {
			_, err := c.CoreV1().ServiceAccounts(ns).Create(ctx, o.ServiceAccount, metav1.CreateOptions{})
			return err
		}},
		{"ClusterRole", o.ClusterRole.Name, func() error {
			_, err := c.RbacV1().ClusterRoles().Create(ctx, o.ClusterRole, metav1.CreateOptions{})
			return err
		}},
		{"ClusterRoleBinding", o.Binding.Name, func() error {
			_, err := c.RbacV1().ClusterRoleBindings().Create(ctx, o.Binding, metav1.CreateOptions{})
			return err
		}},
		{"ConfigMap", ns + "/" + o.ImagesMap.Name, func() error {
			_, err := c.CoreV1().ConfigMaps(ns).Create(ctx, o.ImagesMap, metav1.CreateOptions{})
			return err
		}},
		{"Job", ns + "/" + o.Job.Name, func() error {
			_, err := c.BatchV1().Jobs(ns).Create(ctx, o.Job, metav1.CreateOptions{})
			return err
		}},
	}
	o.created = map[string]bool{}
	for _, s := range steps {
		if err := s.create(); err != nil {
			if apierrors.IsForbidden(err) {
				return fmt.Errorf("the cluster refuses to let these credentials create %s %s (an in-cluster run creates a ServiceAccount, a ClusterRole with the suite's rights and its binding: it needs cluster-admin, or the escalate and bind verbs): %v", s.kind, s.name, err)
			}
			return fmt.Errorf("create %s %s: %w", s.kind, s.name, err)
		}
		o.created[s.kind] = true
	}
	return nil
}

// Remove deletes the run's cluster-scoped objects and its Job, those Apply
// created; the caller deletes the namespaces (the runner's and the specs')
// by the run label. Objects already gone are fine.
func Remove(ctx context.Context, c kubernetes.Interface, o *Objects) error {
	bg := metav1.DeletePropagationBackground
	opts := metav1.DeleteOptions{PropagationPolicy: &bg}
	ignore := func(err error) error {
		if apierrors.IsNotFound(err) {
			return nil
		}
		return err
	}
	var errs []error
	if o.created["Job"] {
		errs = append(errs, ignore(c.BatchV1().Jobs(o.Job.Namespace).Delete(ctx, o.Job.Name, opts)))
	}
	if o.created["ClusterRoleBinding"] {
		errs = append(errs, ignore(c.RbacV1().ClusterRoleBindings().Delete(ctx, o.Binding.Name, opts)))
	}
	if o.created["ClusterRole"] {
		errs = append(errs, ignore(c.RbacV1().ClusterRoles().Delete(ctx, o.ClusterRole.Name, opts)))
	}
	return errors.Join(errs...)
}

// RemoveLeftovers deletes the ClusterRoles and bindings of in-cluster runs
// that ended without their cleanup (the client killed); it returns their
// names.
func RemoveLeftovers(ctx context.Context, c kubernetes.Interface) ([]string, error) {
	sel := metav1.ListOptions{LabelSelector: RunnerLabel}
	var gone []string
	bindings, err := c.RbacV1().ClusterRoleBindings().List(ctx, sel)
	if err != nil {
		return nil, err
	}
	for _, b := range bindings.Items {
		if err := c.RbacV1().ClusterRoleBindings().Delete(ctx, b.Name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
			return gone, err
		}
		gone = append(gone, "clusterrolebinding/"+b.Name)
	}
	roles, err := c.RbacV1().ClusterRoles().List(ctx, sel)
	if err != nil {
		return gone, err
	}
	for _, r := range roles.Items {
		if err := c.RbacV1().ClusterRoles().Delete(ctx, r.Name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
			return gone, err
		}
		gone = append(gone, "clusterrole/"+r.Name)
	}
	return gone, nil
}

// RunnerPod is the Job's pod, nil while there is none.
func RunnerPod(ctx context.Context, c kubernetes.Interface, job *batchv1.Job) (*corev1.Pod, error) {
	list, err := c.CoreV1().Pods(job.Namespace).List(ctx, metav1.ListOptions{LabelSelector: batchv1.JobNameLabel + "=" + job.Name})
	if err != nil || len(list.Items) == 0 {
		return nil, err
	}
	return &list.Items[0], nil
}

// StartFailure says why the runner pod will not start by waiting: an image
// that cannot be pulled, a container that cannot be created, or (after
// unschedulableFor) no node to run on. It is nil while the pod may start.
func StartFailure(p *corev1.Pod, unschedulableFor time.Duration, now time.Time) error {
	if p == nil {
		return nil
	}
	if msg, failed := imagecheck.PullFailure(p); failed {
		return fmt.Errorf("the runner pod %s/%s cannot pull its image %s: %s", p.Namespace, p.Name, p.Spec.Containers[0].Image, msg)
	}
	for _, cs := range p.Status.ContainerStatuses {
		if w := cs.State.Waiting; w != nil && slices.Contains(imagecheck.StartFailures, w.Reason) {
			return fmt.Errorf("the runner pod %s/%s cannot start container %s: %s: %s", p.Namespace, p.Name, cs.Name, w.Reason, w.Message)
		}
	}
	for _, cond := range p.Status.Conditions {
		if cond.Type == corev1.PodScheduled && cond.Status == corev1.ConditionFalse && cond.Reason == corev1.PodReasonUnschedulable &&
			now.Sub(cond.LastTransitionTime.Time) >= unschedulableFor {
			return fmt.Errorf("the runner pod %s/%s has no node to run on after %s: %s", p.Namespace, p.Name, unschedulableFor, cond.Message)
		}
	}
	if p.Status.Phase == corev1.PodFailed {
		return fmt.Errorf("the runner pod %s/%s failed: %s %s", p.Namespace, p.Name, p.Status.Reason, p.Status.Message)
	}
	return nil
}

// container is p's status of the named container.
func container(p *corev1.Pod, name string) *corev1.ContainerStatus {
	if p == nil {
		return nil
	}
	for i := range p.Status.ContainerStatuses {
		if p.Status.ContainerStatuses[i].Name == name {
			return &p.Status.ContainerStatuses[i]
		}
	}
	return nil
}

// RunnerStarted reports whether the runner container has started (its
// log can be followed).
func RunnerStarted(p *corev1.Pod) bool {
	cs := container(p, RunnerContainer)
	return cs != nil && (cs.State.Running != nil || cs.State.Terminated != nil)
}

// RunnerExit is the runner container's exit code once it has ended.
func RunnerExit(p *corev1.Pod) (code int32, ended bool) {
	cs := container(p, RunnerContainer)
	if cs == nil || cs.State.Terminated == nil {
		return 0, false
	}
	return cs.State.Terminated.ExitCode, true
}

// FollowLog copies the runner container's log to w until the container
// ends or ctx is done.
func FollowLog(ctx context.Context, c kubernetes.Interface, p *corev1.Pod, w io.Writer) error {
	s, err := c.CoreV1().Pods(p.Namespace).GetLogs(p.Name, &corev1.PodLogOptions{Container: RunnerContainer, Follow: true}).Stream(ctx)
	if err != nil {
		return fmt.Errorf("logs of %s/%s: %w", p.Namespace, p.Name, err)
	}
	defer s.Close()
	_, err = io.Copy(w, s)
	return err
}

// CollectInput copies a finished run's results out of its pod.
type CollectInput struct {
	Config  *rest.Config
	Client  kubernetes.Interface
	Pod     *corev1.Pod
	Dest    string
	Timeout time.Duration
}

// Collect copies the results directory from the results container into
// Dest (a tar stream through exec: busybox's tar), then tells the
// container it may end.
func Collect(ctx context.Context, in CollectInput) error {
	exec := func(cmd ...string) (podexec.Result, error) {
		return podexec.Exec(ctx, in.Config, in.Client, podexec.ExecInput{
			Namespace: in.Pod.Namespace, Pod: in.Pod.Name, Container: ResultsContainer, Command: cmd, Timeout: in.Timeout,
		})
	}
	res, err := exec("tar", "-C", layout.ResultsDir, "-cf", "-", ".")
	if err != nil {
		return fmt.Errorf("copying the results out of %s/%s: %w", in.Pod.Namespace, in.Pod.Name, err)
	}
	if err := Untar(strings.NewReader(res.Stdout), in.Dest); err != nil {
		return err
	}
	if _, err := exec("touch", layout.ResultsDir+"/"+Collected); err != nil {
		return fmt.Errorf("telling %s/%s the results are collected: %w", in.Pod.Namespace, in.Pod.Name, err)
	}
	return nil
}

// Untar writes the regular files and directories of a tar stream under
// dest, refusing any path that would leave it.
func Untar(r io.Reader, dest string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("results archive: %w", err)
		}
		name := filepath.Clean(filepath.FromSlash(h.Name))
		if name == "." {
			continue
		}
		if filepath.IsAbs(name) || name == ".." || strings.HasPrefix(name, ".."+string(filepath.Separator)) {
			return fmt.Errorf("results archive: %q leaves the results directory", h.Name)
		}
		p := filepath.Join(dest, name)
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			f, err := os.Create(p)
			if err != nil {
				return err
			}
			_, err = io.Copy(f, tr)
			if err := errors.Join(err, f.Close()); err != nil {
				return fmt.Errorf("results archive: %s: %w", h.Name, err)
			}
		}
	}
}
