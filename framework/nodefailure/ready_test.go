package nodefailure

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func nodeReady(status corev1.ConditionStatus, reason string) *corev1.Node {
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: "kind-worker"},
		Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{{
			Type: corev1.NodeReady, Status: status, Reason: reason, Message: "Kubelet stopped posting node status.",
		}}},
	}
}

func TestNodeReadyConditions(t *testing.T) {
	cases := []struct {
		name            string
		node            *corev1.Node
		ready, notReady bool
	}{
		{"ready", nodeReady(corev1.ConditionTrue, ""), true, false},
		{"unknown", nodeReady(corev1.ConditionUnknown, "NodeStatusUnknown"), false, true},
		{"false", nodeReady(corev1.ConditionFalse, "KubeletNotReady"), false, true},
		{"no conditions yet", &corev1.Node{}, false, true},
		{"never read", nil, false, false},
	}
	for _, tc := range cases {
		if got := NodeReady(tc.node); got != tc.ready {
			t.Errorf("%s: NodeReady = %v", tc.name, got)
		}
		if got := NodeNotReady(tc.node); got != tc.notReady {
			t.Errorf("%s: NodeNotReady = %v", tc.name, got)
		}
	}
}

func TestDescribeNodeShowsWhy(t *testing.T) {
	got := DescribeNode(nodeReady(corev1.ConditionUnknown, "NodeStatusUnknown"))
	for _, want := range []string{"kind-worker", "Ready=Unknown", "NodeStatusUnknown", "Kubelet stopped posting"} {
		if !strings.Contains(got, want) {
			t.Errorf("DescribeNode lacks %q: %s", want, got)
		}
	}
	if !strings.Contains(DescribeNode(nil), "never read") {
		t.Error("nil node")
	}
}

func TestNodeSchedulable(t *testing.T) {
	tainted := nodeReady(corev1.ConditionTrue, "")
	tainted.Spec.Taints = []corev1.Taint{{Key: "node.kubernetes.io/unreachable", Effect: corev1.TaintEffectNoSchedule}}
	cordoned := nodeReady(corev1.ConditionTrue, "")
	cordoned.Spec.Unschedulable = true
	preferred := nodeReady(corev1.ConditionTrue, "")
	preferred.Spec.Taints = []corev1.Taint{{Key: "x", Effect: corev1.TaintEffectPreferNoSchedule}}
	for _, tc := range []struct {
		name string
		node *corev1.Node
		want bool
	}{
		{"ready", nodeReady(corev1.ConditionTrue, ""), true},
		{"PreferNoSchedule only", preferred, true},
		{"ready, still tainted unreachable", tainted, false},
		{"cordoned", cordoned, false},
		{"not ready", nodeReady(corev1.ConditionUnknown, "NodeStatusUnknown"), false},
		{"never read", nil, false},
	} {
		if got := NodeSchedulable(tc.node); got != tc.want {
			t.Errorf("%s: NodeSchedulable = %v, want %v", tc.name, got, tc.want)
		}
	}
	if got := DescribeNode(tainted); !strings.Contains(got, "taint node.kubernetes.io/unreachable:NoSchedule") {
		t.Errorf("DescribeNode lacks the taint: %s", got)
	}
}

// Just uncordoned: the flag is cleared, the controller's taint not yet.
func TestWhyUnschedulableNamesTheTaint(t *testing.T) {
	n := nodeReady(corev1.ConditionTrue, "")
	n.Spec.Taints = []corev1.Taint{{Key: corev1.TaintNodeUnschedulable, Effect: corev1.TaintEffectNoSchedule}}
	if got := WhyUnschedulable(n); got != "taint node.kubernetes.io/unschedulable:NoSchedule" {
		t.Fatalf("WhyUnschedulable = %q", got)
	}
}
