package statefulset

import (
	"context"
	"slices"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

// Only the pods of the bad revision that are not already going are deleted.
func TestDeletePodsOn(t *testing.T) {
	set, _ := New("ns", "web", "web:1")
	c := fake.NewClientset(setPod(set, "web-0", "good", "n1", false), setPod(set, "web-1", "good", "n1", false),
		setPod(set, "web-2", "bad", "n1", false), setPod(set, "web-3", "bad", "n1", true))
	got, err := DeletePodsOn(context.Background(), c, set, "bad")
	if err != nil || !slices.Equal(got, []string{"web-2"}) {
		t.Fatalf("DeletePodsOn = %v, %v; want [web-2]", got, err)
	}
	left, err := c.CoreV1().Pods("ns").List(context.Background(), metav1.ListOptions{})
	if err != nil || len(left.Items) != 3 {
		t.Fatalf("pods left: %v, %v", left, err)
	}
	for _, p := range left.Items {
		if p.Name == "web-2" {
			t.Errorf("web-2 was not deleted")
		}
	}
}
