package dns

import (
	"context"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"
)

const probeContainer = "probe"

// ProbeInput describes the busybox pod that runs the lookups.
type ProbeInput struct {
	Client    kubernetes.Interface
	Namespace string
	Name      string
	// Image is a busybox image the nodes can start (the suite may run offline).
	Image string
	// NodeName pins the probe to a node; empty lets the scheduler choose.
	NodeName string
	// Timeout bounds the wait for the pod to be Ready; 0 means one minute.
	Timeout time.Duration
}

// StartProbe creates the probe pod and waits until it is Ready. On timeout
// the error shows the pod's last phase, conditions and container states
// (an image that cannot be pulled shows up there).
func StartProbe(ctx context.Context, in ProbeInput) (PodRef, error) {
	if in.Client == nil || in.Namespace == "" || in.Name == "" || in.Image == "" {
		return PodRef{}, fmt.Errorf("dns probe: client, namespace, name and image are required (got %q/%q image %q)", in.Namespace, in.Name, in.Image)
	}
	ref := PodRef{Namespace: in.Namespace, Name: in.Name, Container: probeContainer}
	if _, err := in.Client.CoreV1().Pods(in.Namespace).Create(ctx, probePod(in), metav1.CreateOptions{}); err != nil {
		return ref, fmt.Errorf("creating dns probe pod %s: %w", ref, err)
	}
	timeout := in.Timeout
	if timeout == 0 {
		timeout = time.Minute
	}
	var last *corev1.Pod
	var lastErr error
	err := wait.PollUntilContextTimeout(ctx, time.Second, timeout, true, func(ctx context.Context) (bool, error) {
		p, err := in.Client.CoreV1().Pods(in.Namespace).Get(ctx, in.Name, metav1.GetOptions{})
		if err != nil {
			lastErr = err
			return false, nil
		}
		last = p
		return podReady(p), nil
	})
	if err != nil {
		return ref, fmt.Errorf("dns probe pod %s not Ready within %v: %w; last seen: %s; last get error: %v", ref, timeout, err, describePod(last), lastErr)
	}
	return ref, nil
}

// StopProbe deletes the probe pod without a grace period; it is already
// gone when that is not found.
func StopProbe(ctx context.Context, c kubernetes.Interface, probe PodRef) error {
	err := c.CoreV1().Pods(probe.Namespace).Delete(ctx, probe.Name, metav1.DeleteOptions{GracePeriodSeconds: ptr.To[int64](0)})
	if err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("deleting dns probe pod %s: %w", probe, err)
	}
	return nil
}

func probePod(in ProbeInput) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name:      in.Name,
			Namespace: in.Namespace,
			Labels:    map[string]string{"app.kubernetes.io/name": "dns-probe"},
		},
		Spec: corev1.PodSpec{
			NodeName:                      in.NodeName,
			TerminationGracePeriodSeconds: ptr.To[int64](1),
			Containers: []corev1.Container{{
				Name:            probeContainer,
				Image:           in.Image,
				ImagePullPolicy: corev1.PullIfNotPresent,
				// sleep as PID 1 would ignore SIGTERM; the trap lets deletion
				// finish at once instead of after the grace period.
				Command: []string{"sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"},
			}},
		},
	}
}

func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func describePod(p *corev1.Pod) string {
	if p == nil {
		return "<never seen>"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "phase=%s node=%q", p.Status.Phase, p.Spec.NodeName)
	for _, c := range p.Status.Conditions {
		fmt.Fprintf(&b, " %s=%s", c.Type, c.Status)
		if c.Reason != "" || c.Message != "" {
			fmt.Fprintf(&b, "(%s: %s)", c.Reason, c.Message)
		}
	}
	for _, cs := range p.Status.ContainerStatuses {
		switch {
		case cs.State.Waiting != nil:
			fmt.Fprintf(&b, " container %s waiting: %s %s", cs.Name, cs.State.Waiting.Reason, cs.State.Waiting.Message)
		case cs.State.Terminated != nil:
			fmt.Fprintf(&b, " container %s terminated: %s exit %d", cs.Name, cs.State.Terminated.Reason, cs.State.Terminated.ExitCode)
		}
	}
	return b.String()
}
