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

// NodeSchedulable reports whether new pods can land on the node: Ready, not
// cordoned, and without a NoSchedule or NoExecute taint. A node started
// again after a loss is Ready some seconds before the node lifecycle
// controller lifts its unreachable and not-ready taints.
func NodeSchedulable(n *corev1.Node) bool { return WhyUnschedulable(n) == "" }

// WhyUnschedulable says why the scheduler would place no pod on n (not
// Ready, cordoned, or a NoSchedule/NoExecute taint); "" when it may.
func WhyUnschedulable(n *corev1.Node) string {
	switch {
	case !NodeReady(n):
		return "not Ready"
	case n.Spec.Unschedulable:
		return "cordoned"
	}
	for _, t := range n.Spec.Taints {
		if t.Effect == corev1.TaintEffectNoSchedule || t.Effect == corev1.TaintEffectNoExecute {
			return "taint " + t.Key + ":" + string(t.Effect)
		}
	}
	return ""
}

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
	if n.Spec.Unschedulable {
		parts = append(parts, "cordoned")
	}
	for _, t := range n.Spec.Taints {
		parts = append(parts, "taint "+t.ToString())
	}
	return n.Name + ": " + strings.Join(parts, "; ")
}
