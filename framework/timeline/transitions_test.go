package timeline

import (
	"slices"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func kindsOf(events []Event) []EventKind {
	var out []EventKind
	for _, e := range events {
		out = append(out, e.Kind)
	}
	return out
}

func readyPod(name string) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, UID: "u", ResourceVersion: "7"},
		Spec:       corev1.PodSpec{NodeName: "n1"},
		Status:     corev1.PodStatus{Phase: corev1.PodRunning},
	}
	setReady(true, epoch)(p)
	return p
}

func TestTransitionsOneUpdateCanImplySeveralEvents(t *testing.T) {
	events, state := transitions(nil, readyPod("web-3"), false, "web")
	if got, want := kindsOf(events), []EventKind{Created, Scheduled, Running, Ready}; !slices.Equal(got, want) {
		t.Fatalf("kinds = %v, want %v", got, want)
	}
	for _, e := range events {
		if e.ResourceVersion != "7" || e.Ordinal != 3 {
			t.Errorf("%v: want rv 7 and ordinal 3", e)
		}
	}
	again, _ := transitions(&state, readyPod("web-3"), false, "web")
	if len(again) != 0 {
		t.Errorf("an unchanged pod produced %v", kindsOf(again))
	}
}

func TestTransitionsDeletionSeenOnlyInDeletedEvent(t *testing.T) {
	// A force delete can skip the update that sets deletionTimestamp; the
	// final object still carries it and the termination must not be lost.
	p := readyPod("web-0")
	_, state := transitions(nil, p, false, "web")
	gone := p.DeepCopy()
	markDeleted(epoch.Add(time.Second))(gone)
	setReady(false, epoch.Add(time.Second))(gone)
	events, _ := transitions(&state, gone, true, "web")
	if got, want := kindsOf(events), []EventKind{Terminating, Unready, Deleted}; !slices.Equal(got, want) {
		t.Errorf("kinds = %v, want %v", got, want)
	}
}

func TestTransitionsNeverReadyIsNotUnready(t *testing.T) {
	p := readyPod("web-0")
	setReady(false, epoch)(p)
	events, _ := transitions(nil, p, false, "web")
	if slices.Contains(kindsOf(events), Unready) {
		t.Errorf("a pod that was never Ready produced Unready: %v", kindsOf(events))
	}
}

func TestTransitionsReadyAgainAfterUnready(t *testing.T) {
	p := readyPod("web-0")
	_, s := transitions(nil, p, false, "web")
	setReady(false, epoch)(p)
	e1, s := transitions(&s, p, false, "web")
	setReady(true, epoch)(p)
	e2, _ := transitions(&s, p, false, "web")
	if got := append(kindsOf(e1), kindsOf(e2)...); !slices.Equal(got, []EventKind{Unready, Ready}) {
		t.Errorf("kinds = %v, want [Unready Ready]", got)
	}
}

func TestParseOrdinal(t *testing.T) {
	cases := []struct {
		sts, pod string
		want     int
	}{
		{"web", "web-0", 0},
		{"web", "web-12", 12},
		{"web", "web-a-1", -1},
		{"web-a", "web-a-1", 1},
		{"web", "web-", -1},
		{"web", "web-01", -1},
		{"web", "web-+1", -1},
		{"web", "web-1x", -1},
		{"web", "webb-1", -1},
		{"web", "other-1", -1},
	}
	for _, c := range cases {
		if got := ParseOrdinal(c.sts, c.pod); got != c.want {
			t.Errorf("ParseOrdinal(%q, %q) = %d, want %d", c.sts, c.pod, got, c.want)
		}
	}
}

// A pod the kubelet rejects at admission never runs: its one transition is
// the phase Failed, which must be an event of its own, not only a phase
// carried by the Terminating that follows.
func TestTransitionsFailedIsAnEvent(t *testing.T) {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "web-0", UID: "u", ResourceVersion: "7"},
		Spec:       corev1.PodSpec{NodeName: "n1"},
		Status:     corev1.PodStatus{Phase: corev1.PodPending},
	}
	_, state := transitions(nil, p, false, "web")
	rejected := p.DeepCopy()
	rejected.Status.Phase = corev1.PodFailed
	events, state := transitions(&state, rejected, false, "web")
	if got, want := kindsOf(events), []EventKind{Failed}; !slices.Equal(got, want) || events[0].Phase != "Failed" {
		t.Fatalf("kinds = %v, want %v with phase Failed", got, want)
	}
	again, _ := transitions(&state, rejected, false, "web")
	if len(again) != 0 {
		t.Errorf("a pod still Failed produced %v", kindsOf(again))
	}
	// A Ready pod evicted: Failed, then the readiness it lost because of it.
	evicted := readyPod("web-1")
	_, state = transitions(nil, evicted, false, "web")
	evicted = evicted.DeepCopy()
	evicted.Status.Phase = corev1.PodFailed
	setReady(false, epoch.Add(time.Second))(evicted)
	events, _ = transitions(&state, evicted, false, "web")
	if got, want := kindsOf(events), []EventKind{Failed, Unready}; !slices.Equal(got, want) {
		t.Errorf("evicted: kinds = %v, want %v", got, want)
	}
}

// The pod-index label is kept on every event, so that a checker can judge
// the label of each pod the controller created.
func TestTransitionsKeepThePodIndexLabel(t *testing.T) {
	p := readyPod("web-3")
	p.Labels = map[string]string{PodIndexLabel: "3", revisionLabel: "web-abc"}
	events, _ := transitions(nil, p, false, "web")
	for _, e := range events {
		if e.PodIndex != "3" || e.Revision != "web-abc" {
			t.Errorf("%v: podIndex %q revision %q, want 3 and web-abc", e, e.PodIndex, e.Revision)
		}
	}
	events, _ = transitions(nil, readyPod("web-4"), false, "web")
	if events[0].PodIndex != "" {
		t.Errorf("a pod without the label got podIndex %q", events[0].PodIndex)
	}
}
