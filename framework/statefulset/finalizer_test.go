package statefulset

import (
	"context"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func TestPodFinalizerAddedOnceAndRemoved(t *testing.T) {
	ctx := context.Background()
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "web-0", Finalizers: []string{"other"}}}
	c := fake.NewClientset(p)
	finalizers := func() []string {
		got, err := c.CoreV1().Pods("ns").Get(ctx, "web-0", metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return got.Finalizers
	}
	for range 2 {
		if err := AddPodFinalizer(ctx, c, "ns", "web-0", HoldFinalizer); err != nil {
			t.Fatal(err)
		}
	}
	if got := finalizers(); !slices.Equal(got, []string{"other", HoldFinalizer}) {
		t.Fatalf("after two adds: %v, want [other %s]", got, HoldFinalizer)
	}
	if err := RemovePodFinalizer(ctx, c, "ns", "web-0", HoldFinalizer); err != nil {
		t.Fatal(err)
	}
	if got := finalizers(); !slices.Equal(got, []string{"other"}) {
		t.Fatalf("after the removal: %v, want [other]: another's finalizer must stay", got)
	}
}

func TestPodFinalizerOfMissingPod(t *testing.T) {
	ctx := context.Background()
	c := fake.NewClientset()
	if err := RemovePodFinalizer(ctx, c, "ns", "web-0", HoldFinalizer); err != nil {
		t.Errorf("removing from a pod already gone: %v", err)
	}
	err := AddPodFinalizer(ctx, c, "ns", "web-0", HoldFinalizer)
	if err == nil || !strings.HasPrefix(err.Error(), "adding finalizer "+HoldFinalizer+" of pod ns/web-0: ") {
		t.Errorf("adding to a missing pod: %v", err)
	}
}

// A finalizer keeps a deleted pod in the API; DeletePod names a pod it
// could not delete.
func TestDeletePod(t *testing.T) {
	ctx := context.Background()
	c := fake.NewClientset(&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "web-0"}})
	if err := DeletePod(ctx, c, "ns", "web-0"); err != nil {
		t.Fatal(err)
	}
	if err := DeletePod(ctx, c, "ns", "web-0"); err == nil || !strings.HasPrefix(err.Error(), "deleting pod ns/web-0: ") {
		t.Errorf("deleting a pod that is gone: %v", err)
	}
}
