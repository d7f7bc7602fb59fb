// Package pod reads the state of one pod: whether it is ready, and a one-line
// description of why not, for failure messages; and waits until it is.
package pod

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/stsconform/stsconform/framework/poll"
)

// Ready reports whether a pod is Running, not terminating, with its Ready
// condition true. A terminating pod can still report Ready for a moment;
// counting it would let a wait pass on the incarnation being replaced.
func Ready(p *corev1.Pod) bool {
	if p == nil || p.Status.Phase != corev1.PodRunning || p.DeletionTimestamp != nil {
		return false
	}
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// Describe shows what a waiting reader needs to see: phase, node,
// conditions with their reasons, and why each container is not running (an
// image that cannot be pulled shows up here).
func Describe(p *corev1.Pod) string {
	if p == nil {
		return "<never seen>"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s/%s phase=%s node=%q", p.Namespace, p.Name, p.Status.Phase, p.Spec.NodeName)
	if p.DeletionTimestamp != nil {
		b.WriteString(" terminating")
	}
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

// WaitInput names a pod and bounds a wait on it.
type WaitInput struct {
	Client    kubernetes.Interface
	Namespace string
	Name      string
	// What the wait is for, the first words of its failure ("dns probe
	// pod Ready").
	What          string
	Timeout, Poll time.Duration
}

// WaitReady waits until the pod is Running and Ready (Ready). A wait that
// runs out opens with What and shows the pod's last state (Describe).
func WaitReady(ctx context.Context, in WaitInput) (*corev1.Pod, error) {
	var last *corev1.Pod
	err := poll.Until(ctx, in.Timeout, in.Poll, func(ctx context.Context) error {
		p, err := in.Client.CoreV1().Pods(in.Namespace).Get(ctx, in.Name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		last = p
		if !Ready(p) {
			return errors.New("not Running and Ready")
		}
		return nil
	})
	if err != nil {
		return last, fmt.Errorf("%s: pod not Running and Ready: %s\n%w", in.What, Describe(last), err)
	}
	return last, nil
}
