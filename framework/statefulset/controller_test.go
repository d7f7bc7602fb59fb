package statefulset

import (
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func observedSet(generation, observed int64) *appsv1.StatefulSet {
	s, _ := New("ns", "web", "web:1")
	s.Generation = generation
	s.Status.ObservedGeneration = observed
	return s
}

func TestControllerObserved(t *testing.T) {
	cases := []struct {
		set  *appsv1.StatefulSet
		want bool
		why  string
	}{
		{observedSet(1, 0), false, "observedGeneration 0 of 1"},
		{observedSet(3, 2), false, "observedGeneration 2 of 3"},
		{observedSet(2, 2), true, "observedGeneration 2 of 2"},
		{observedSet(0, 0), false, "observedGeneration 0 of 0"},
		{nil, false, "not read"},
	}
	for _, c := range cases {
		if ok, why := ControllerObserved(c.set); ok != c.want || !strings.Contains(why, c.why) {
			t.Errorf("ControllerObserved = %t, %q; want %t, %q", ok, why, c.want, c.why)
		}
	}
}

func TestNeverObserved(t *testing.T) {
	err := NeverObserved(observedSet(1, 0), 30*time.Second)
	want := "the StatefulSet controller never observed ns/web (observedGeneration 0 of 1 after 30s): is kube-controller-manager running with the statefulset controller?"
	if err == nil || err.Error() != want {
		t.Errorf("NeverObserved = %v\nwant %s", err, want)
	}
}

func podIn(name string, phase corev1.PodPhase, conds ...corev1.PodCondition) corev1.Pod {
	return corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name}, Status: corev1.PodStatus{Phase: phase, Conditions: conds}}
}

func TestStalledReason(t *testing.T) {
	observedNoPods := observedSet(1, 1)
	pending := corev1.PodCondition{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: "Unschedulable",
		Message: "0/5 nodes are available: pod has unbound immediate PersistentVolumeClaims."}
	unschedulable := corev1.PodCondition{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: "Unschedulable", Message: "0/5 nodes are available: 5 Insufficient cpu."}
	ready := corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionTrue}
	done := observedSet(1, 1)
	done.Status = appsv1.StatefulSetStatus{ObservedGeneration: 1, Replicas: 3, ReadyReplicas: 3, UpdatedReplicas: 3, CurrentRevision: "a", UpdateRevision: "a"}
	cases := []struct {
		name string
		set  *appsv1.StatefulSet
		pods []corev1.Pod
		want []string
	}{
		{"never observed", observedSet(1, 0), nil,
			[]string{"controller: the StatefulSet controller has not observed ns/web (observedGeneration 0 of 1): is kube-controller-manager running"}},
		{"observed, no pod created", observedNoPods, nil,
			[]string{"controller: the StatefulSet controller observed ns/web (generation 1) but created none of its 3 pods", "not a storage or scheduling problem"}},
		{"first pod waits for its claim", observedNoPods, []corev1.Pod{podIn("web-0", corev1.PodPending, pending)},
			[]string{"1 of 3 pods exist; storage: ns/web-0 phase=Pending", "unbound immediate PersistentVolumeClaims",
				"not created: web-1 (OrderedReady creates it once its predecessors are Running and Ready)"}},
		{"no room on any node", observedNoPods, []corev1.Pod{podIn("web-0", corev1.PodPending, unschedulable)},
			[]string{"scheduling: ns/web-0", "Insufficient cpu"}},
		{"held unready", observedNoPods, []corev1.Pod{podIn("web-0", corev1.PodRunning, ready), podIn("web-1", corev1.PodRunning)},
			[]string{"2 of 3 pods exist; readiness: ns/web-1 phase=Running", "not created: web-2"}},
		{"rolled out", done, nil, nil},
	}
	for _, c := range cases {
		got := StalledReason(c.set, c.pods)
		if c.want == nil && got != "" {
			t.Errorf("%s: %q, want none", c.name, got)
		}
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q\nlacks %q", c.name, got, w)
			}
		}
		if c.name == "held unready" && strings.Contains(got, "ns/web-0") {
			t.Errorf("%s: a ready pod was listed: %q", c.name, got)
		}
	}
}
