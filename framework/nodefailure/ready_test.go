package nodefailure

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func nodeReady(status corev1.ConditionStatus, reason string) *corev1.Node {
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: "kind-worker"},
		Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{{
			Type: corev1.NodeReady, Status: status, Reason: reason, Message: "Kubelet stopped posting node status.",
		}}},
	}
}

func TestWaitNodeReady(t *testing.T) {
	cases := []struct {
		name   string
		status corev1.ConditionStatus
		ready  bool
		ok     bool
	}{
		{"ready wanted, ready", corev1.ConditionTrue, true, true},
		{"not ready wanted, unknown", corev1.ConditionUnknown, false, true},
		{"not ready wanted, false", corev1.ConditionFalse, false, true},
		{"ready wanted, unknown", corev1.ConditionUnknown, true, false},
		{"not ready wanted, ready", corev1.ConditionTrue, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := fake.NewClientset(nodeReady(tc.status, "NodeStatusUnknown"))
			err := WaitNodeReady(context.Background(), c, "kind-worker", tc.ready, 100*time.Millisecond)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
			if err != nil {
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("timeout must wrap context.DeadlineExceeded: %v", err)
				}
				for _, want := range []string{"kind-worker", "Ready=" + string(tc.status), "NodeStatusUnknown", "Kubelet stopped posting"} {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error lacks %q: %v", want, err)
					}
				}
			}
		})
	}
}

func TestWaitNodeReadyMissingNodeShowsGetError(t *testing.T) {
	err := WaitNodeReady(context.Background(), fake.NewClientset(), "kind-worker9", true, 100*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "never read") || !strings.Contains(err.Error(), `"kind-worker9" not found`) {
		t.Fatalf("got %v", err)
	}
}
