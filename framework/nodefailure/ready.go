package nodefailure

import (
	"context"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
)

// pollInterval is well under the kubelet's status update period (10s), so a
// change is seen within one update.
const pollInterval = 2 * time.Second

// WaitNodeReady waits until the node's Ready condition is True (ready) or
// anything but True (!ready: False, or Unknown once the controller manager
// has stopped hearing from the kubelet). On timeout the error shows the
// node's last conditions.
func WaitNodeReady(ctx context.Context, c kubernetes.Interface, node string, ready bool, timeout time.Duration) error {
	var last *corev1.Node
	var lastErr error
	err := wait.PollUntilContextTimeout(ctx, pollInterval, timeout, true, func(ctx context.Context) (bool, error) {
		n, err := c.CoreV1().Nodes().Get(ctx, node, metav1.GetOptions{})
		if err != nil {
			// The API server may itself be on a disrupted node; keep trying.
			lastErr = err
			return false, nil
		}
		last = n
		return NodeReady(n) == ready, nil
	})
	if err != nil {
		want := "Ready"
		if !ready {
			want = "not Ready"
		}
		getErr := ""
		if lastErr != nil {
			getErr = fmt.Sprintf("; last get error: %v", lastErr)
		}
		return fmt.Errorf("node %s not %s within %v: %w; last conditions: %s%s", node, want, timeout, err, conditionsString(last), getErr)
	}
	return nil
}

// NodeReady reports whether the node's Ready condition is True.
func NodeReady(n *corev1.Node) bool {
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func conditionsString(n *corev1.Node) string {
	if n == nil {
		return "<node never read>"
	}
	if len(n.Status.Conditions) == 0 {
		return "none"
	}
	var parts []string
	for _, c := range n.Status.Conditions {
		parts = append(parts, fmt.Sprintf("%s=%s (reason %q, message %q, last heartbeat %s, last transition %s)",
			c.Type, c.Status, c.Reason, c.Message,
			c.LastHeartbeatTime.UTC().Format(time.RFC3339), c.LastTransitionTime.UTC().Format(time.RFC3339)))
	}
	return strings.Join(parts, "; ")
}
