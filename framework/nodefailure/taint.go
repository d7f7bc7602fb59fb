package nodefailure

import (
	"context"
	"fmt"
	"slices"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/util/retry"
)

// OutOfServiceTaint tells Kubernetes the node is shut down for good: pods
// without a matching toleration are force-deleted and their volumes
// detached, which lets a StatefulSet replace them elsewhere.
var OutOfServiceTaint = corev1.Taint{
	Key:    corev1.TaintNodeOutOfService,
	Value:  "nodeshutdown",
	Effect: corev1.TaintEffectNoExecute,
}

// MarkOutOfService adds OutOfServiceTaint to the node; a node that already
// has it (whatever its value) is left as is.
func MarkOutOfService(ctx context.Context, c kubernetes.Interface, node string) error {
	return updateTaints(ctx, c, node, "adding", func(taints []corev1.Taint) ([]corev1.Taint, bool) {
		if slices.ContainsFunc(taints, isOutOfService) {
			return taints, false
		}
		t := OutOfServiceTaint
		t.TimeAdded = ptrNow()
		return append(taints, t), true
	})
}

// ClearOutOfService removes OutOfServiceTaint from the node, if present.
func ClearOutOfService(ctx context.Context, c kubernetes.Interface, node string) error {
	return updateTaints(ctx, c, node, "removing", func(taints []corev1.Taint) ([]corev1.Taint, bool) {
		kept := slices.DeleteFunc(slices.Clone(taints), isOutOfService)
		return kept, len(kept) != len(taints)
	})
}

func isOutOfService(t corev1.Taint) bool {
	return t.Key == OutOfServiceTaint.Key && t.Effect == OutOfServiceTaint.Effect
}

// updateTaints re-reads the node on every conflict: the node controller and
// the kubelet update nodes all the time.
func updateTaints(ctx context.Context, c kubernetes.Interface, node, verb string, mutate func([]corev1.Taint) ([]corev1.Taint, bool)) error {
	var last *corev1.Node
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		n, err := c.CoreV1().Nodes().Get(ctx, node, metav1.GetOptions{})
		if err != nil {
			return err
		}
		last = n
		taints, changed := mutate(n.Spec.Taints)
		if !changed {
			return nil
		}
		n = n.DeepCopy()
		n.Spec.Taints = taints
		_, err = c.CoreV1().Nodes().Update(ctx, n, metav1.UpdateOptions{})
		return err
	})
	if err != nil {
		var taints []corev1.Taint
		if last != nil {
			taints = last.Spec.Taints
		}
		return fmt.Errorf("%s taint %s on node %s: %w (taints last seen: %s)", verb, taintString(OutOfServiceTaint), node, err, taintsString(taints))
	}
	return nil
}

func ptrNow() *metav1.Time {
	t := metav1.Now()
	return &t
}

func taintString(t corev1.Taint) string {
	if t.Value == "" {
		return fmt.Sprintf("%s:%s", t.Key, t.Effect)
	}
	return fmt.Sprintf("%s=%s:%s", t.Key, t.Value, t.Effect)
}

func taintsString(taints []corev1.Taint) string {
	if len(taints) == 0 {
		return "none"
	}
	s := make([]string, len(taints))
	for i, t := range taints {
		s[i] = taintString(t)
	}
	return fmt.Sprint(s)
}
