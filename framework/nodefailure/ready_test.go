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
