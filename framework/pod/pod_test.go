package pod

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestReady(t *testing.T) {
	ready := &corev1.Pod{Status: corev1.PodStatus{Phase: corev1.PodRunning, Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}}}
	if !Ready(ready) {
		t.Fatal("running and ready pod not ready")
	}
	terminating := ready.DeepCopy()
	terminating.DeletionTimestamp = &metav1.Time{}
	pending := ready.DeepCopy()
	pending.Status.Phase = corev1.PodPending
	unready := ready.DeepCopy()
	unready.Status.Conditions[0].Status = corev1.ConditionFalse
	for name, p := range map[string]*corev1.Pod{"terminating": terminating, "pending": pending, "unready": unready, "empty": {}, "nil": nil} {
		if Ready(p) {
			t.Errorf("%s pod reported ready", name)
		}
	}
}

func TestDescribeShowsWhyNotRunning(t *testing.T) {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "probe"},
		Status: corev1.PodStatus{
			Phase:             corev1.PodPending,
			Conditions:        []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionFalse, Reason: "ContainersNotReady"}},
			ContainerStatuses: []corev1.ContainerStatus{{Name: "probe", State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ErrImagePull", Message: "not found"}}}},
		},
	}
	got := Describe(p)
	for _, want := range []string{"ns/probe", "phase=Pending", "Ready=False(ContainersNotReady", "waiting: ErrImagePull not found"} {
		if !strings.Contains(got, want) {
			t.Errorf("Describe = %q, missing %q", got, want)
		}
	}
	if Describe(nil) != "<never seen>" {
		t.Error("nil pod")
	}
}
