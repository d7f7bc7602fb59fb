package nodefailure

import (
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// NodeReady reports whether the node's Ready condition is True.
func NodeReady(n *corev1.Node) bool {
	if n == nil {
		return false
	}
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// NodeNotReady reports whether the node is known and its Ready condition is
// anything but True: False, or Unknown once the controller manager has
// stopped hearing from the kubelet. A node never read is neither ready nor
// known to be not ready.
func NodeNotReady(n *corev1.Node) bool { return n != nil && !NodeReady(n) }

// DescribeNode shows the node's conditions with reasons and heartbeats, for
// a failed wait.
func DescribeNode(n *corev1.Node) string {
	if n == nil {
		return "<node never read>"
	}
	if len(n.Status.Conditions) == 0 {
		return n.Name + ": no conditions"
	}
	var parts []string
	for _, c := range n.Status.Conditions {
		parts = append(parts, fmt.Sprintf("%s=%s (reason %q, message %q, last heartbeat %s, last transition %s)",
			c.Type, c.Status, c.Reason, c.Message,
			c.LastHeartbeatTime.UTC().Format(time.RFC3339), c.LastTransitionTime.UTC().Format(time.RFC3339)))
	}
	return n.Name + ": " + strings.Join(parts, "; ")
}
