package statefulset

import (
	"context"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/utils/ptr"
)

func waitInput(c *fake.Clientset) WaitInput {
	return WaitInput{Client: c, Namespace: "ns", Name: "web", ObserveTimeout: 50 * time.Millisecond, ReadyTimeout: 50 * time.Millisecond, Poll: 5 * time.Millisecond}
}

// A set no controller observes fails the first wait, naming the
// controller; one observed but never ready fails the second, naming why.
func TestWaitRolledOut(t *testing.T) {
	unobserved := observedSet(1, 0)
	_, err := WaitRolledOut(context.Background(), waitInput(fake.NewClientset(unobserved)))
	if err == nil || !strings.HasPrefix(err.Error(), "the StatefulSet controller never observed ns/web (observedGeneration 0 of 1 after 50ms): is kube-controller-manager running") ||
		!strings.Contains(err.Error(), "not within 50ms; last: observedGeneration 0 of 1") {
		t.Errorf("an unobserved set = %v", err)
	}

	observed := observedSet(1, 1)
	observed.Spec.Replicas = ptr.To[int32](1)
	pending := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "web-0", Labels: observed.Spec.Selector.MatchLabels}, Status: corev1.PodStatus{Phase: corev1.PodPending}}
	_, err = WaitRolledOut(context.Background(), waitInput(fake.NewClientset(observed, pending)))
	if err == nil || !strings.HasPrefix(err.Error(), "StatefulSet ns/web not rolled out: 1 of 1 pods exist; start: ns/web-0 phase=Pending") ||
		!strings.Contains(err.Error(), "\nobservedGeneration: 1\n") || !strings.Contains(err.Error(), "last: 0/1 replicas, 0 ready") {
		t.Errorf("a set that never rolls out = %v", err)
	}

	ready := observedSet(1, 1)
	ready.Spec.Replicas = ptr.To[int32](1)
	ready.Status = appsv1.StatefulSetStatus{ObservedGeneration: 1, Replicas: 1, ReadyReplicas: 1, UpdatedReplicas: 1, CurrentRevision: "r1", UpdateRevision: "r1"}
	got, err := WaitRolledOut(context.Background(), waitInput(fake.NewClientset(ready)))
	if err != nil || got.Status.ReadyReplicas != 1 {
		t.Errorf("a rolled-out set = %v", err)
	}

	if _, err := WaitObserved(context.Background(), waitInput(fake.NewClientset())); err == nil || !strings.HasPrefix(err.Error(), "the StatefulSet was never read in 50ms") || !strings.Contains(err.Error(), `"web" not found`) {
		t.Errorf("a set that does not exist = %v", err)
	}
}
