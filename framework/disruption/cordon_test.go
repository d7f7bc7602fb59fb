package disruption

import (
	"context"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func TestCordonLeavesPodsAlone(t *testing.T) {
	c := fake.NewClientset(node("kind-worker", false), pod("sts", "web-0", "kind-worker", "StatefulSet"))
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if err := Cordon(ctx, c, "kind-worker"); err != nil {
			t.Fatalf("Cordon #%d: %v", i+1, err)
		}
	}
	n, _ := c.CoreV1().Nodes().Get(ctx, "kind-worker", metav1.GetOptions{})
	if !n.Spec.Unschedulable {
		t.Error("node not cordoned")
	}
	if _, err := c.CoreV1().Pods("sts").Get(ctx, "web-0", metav1.GetOptions{}); err != nil {
		t.Errorf("cordon removed a pod: %v", err)
	}
	if err := Cordon(ctx, c, "nope"); err == nil {
		t.Error("cordon of an unknown node succeeded")
	}
}
