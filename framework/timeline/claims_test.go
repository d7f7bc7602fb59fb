package timeline

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/utils/ptr"
)

func claim(name, rv string, owners ...metav1.OwnerReference) *corev1.PersistentVolumeClaim {
	return &corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{
		Name: name, Namespace: "ns", UID: types.UID("uid-" + name), ResourceVersion: rv,
		CreationTimestamp: metav1.NewTime(epoch), OwnerReferences: owners,
	}, Status: corev1.PersistentVolumeClaimStatus{Phase: corev1.ClaimBound}}
}

var setRef = metav1.OwnerReference{APIVersion: "apps/v1", Kind: "StatefulSet", Name: "web", UID: "uid-set", Controller: ptr.To(true)}

func kinds(events []Event) []EventKind {
	var out []EventKind
	for _, e := range events {
		out = append(out, e.Kind)
	}
	return out
}

func TestClaimTransitions(t *testing.T) {
	c := claim("data-web-0", "1")
	events, s := claimTransitions(nil, c, false)
	if got := kinds(events); !reflect.DeepEqual(got, []EventKind{ClaimCreated}) || events[0].Owners != nil || events[0].Ordinal != -1 || events[0].Pod != "" {
		t.Fatalf("first sight: %+v", events)
	}
	// A status update changes nothing the recorder reports.
	if events, _ := claimTransitions(&s, claim("data-web-0", "2"), false); len(events) != 0 {
		t.Errorf("unchanged claim reported %v", kinds(events))
	}
	owned := claim("data-web-0", "3", setRef)
	events, s = claimTransitions(&s, owned, false)
	if got := kinds(events); !reflect.DeepEqual(got, []EventKind{ClaimOwnersChanged}) ||
		!reflect.DeepEqual(events[0].Owners, []Owner{{Kind: "StatefulSet", Name: "web", UID: "uid-set", Controller: true}}) {
		t.Fatalf("owner added: %+v", events)
	}
	gone := claim("data-web-0", "4", setRef)
	gone.DeletionTimestamp = ptr.To(metav1.NewTime(epoch))
	events, s = claimTransitions(&s, gone, false)
	if got := kinds(events); !reflect.DeepEqual(got, []EventKind{ClaimTerminating}) {
		t.Fatalf("deletion: %v", got)
	}
	// The final object of a delete often drops nothing but its finalizer.
	events, _ = claimTransitions(&s, gone, true)
	if got := kinds(events); !reflect.DeepEqual(got, []EventKind{ClaimDeleted}) {
		t.Fatalf("gone: %v", got)
	}
}

func TestPodOwnersChanged(t *testing.T) {
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web-0", UID: "u0", OwnerReferences: []metav1.OwnerReference{setRef}}}
	events, s := transitions(nil, p, false, "web")
	if events[0].Kind != Created || len(events[0].Owners) != 1 {
		t.Fatalf("created: %+v", events)
	}
	orphan := p.DeepCopy()
	orphan.OwnerReferences = nil
	events, s = transitions(&s, orphan, false, "web")
	if got := kinds(events); !reflect.DeepEqual(got, []EventKind{OwnersChanged}) || events[0].Owners != nil {
		t.Fatalf("orphaned: %+v", events)
	}
	events, _ = transitions(&s, p, false, "web")
	if got := kinds(events); !reflect.DeepEqual(got, []EventKind{OwnersChanged}) || len(events[0].Owners) != 1 {
		t.Fatalf("adopted: %+v", events)
	}
	if s := events[0].String(); !strings.Contains(s, "owners=StatefulSet/web uid=uid-set (controller)") {
		t.Errorf("evidence line lacks the owner: %s", s)
	}
}

// claimAPI serves claims from the fake clientset of a: one List, then a
// watch the test drives.
func claimAPI(a *fakeAPI, listed ...corev1.PersistentVolumeClaim) *watch.RaceFreeFakeWatcher {
	w := watch.NewRaceFreeFake()
	a.cs.PrependReactor("list", "persistentvolumeclaims", func(clienttesting.Action) (bool, runtime.Object, error) {
		return true, &corev1.PersistentVolumeClaimList{ListMeta: metav1.ListMeta{ResourceVersion: "50"}, Items: listed}, nil
	})
	a.cs.PrependWatchReactor("persistentvolumeclaims", func(clienttesting.Action) (bool, watch.Interface, error) {
		return true, w, nil
	})
	return w
}

func TestRecorderRecordsClaimsBesidePods(t *testing.T) {
	ctx := testContext(t)
	a := newFakeAPI(t)
	a.create("web-0", "r1")
	w := claimAPI(a, *claim("data-web-0", "40", setRef))
	r := mustStart(ctx, t, a)
	if err := r.WatchClaims(a.cs); err != nil {
		t.Fatal(err)
	}
	a.remove("web-0")
	waitFor(ctx, t, r, "web-0 deleted", hasEvent(Deleted, "web-0"))
	gone := claim("data-web-0", "60", setRef)
	gone.DeletionTimestamp = ptr.To(metav1.NewTime(epoch))
	w.Modify(gone)
	w.Delete(gone)
	tl := waitFor(ctx, t, r, "data-web-0 gone", ClaimsGone(0, "data-web-0"))

	var got []string
	for _, e := range tl.Events {
		got = append(got, string(e.Kind)+" "+e.Pod+e.Claim)
	}
	want := []string{"Created web-0", "ClaimCreated data-web-0", "Deleted web-0", "ClaimTerminating data-web-0", "ClaimDeleted data-web-0"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	if !tl.Events[1].Baseline || tl.Events[3].Baseline {
		t.Errorf("only the listed claim is baseline: %+v", tl.Events)
	}
	// A cut after the claim's deletion drops it, as it drops gone pods.
	if n := len(tl.Since(tl.LastSeq()).Events); n != 0 {
		t.Errorf("Since after everything is gone keeps %d events", n)
	}
}

func TestClaimWatchFailureEndsTheRecording(t *testing.T) {
	ctx := testContext(t)
	a := newFakeAPI(t)
	w := claimAPI(a)
	r := mustStart(ctx, t, a)
	if err := r.WatchClaims(a.cs); err != nil {
		t.Fatal(err)
	}
	// 410 Gone: the history the claim watch needs was compacted.
	status := apierrors.NewResourceExpired("claims are too old").ErrStatus
	w.Error(&status)
	err := r.WaitFor(ctx, func(Timeline) bool { return false })
	if err == nil || !strings.Contains(err.Error(), "claims are too old") {
		t.Fatalf("WaitFor = %v, want the claim watch's failure", err)
	}
	if errors.Is(r.Err(), ErrStopped) || r.Err() == nil {
		t.Errorf("Err = %v, want the claim watch's failure", r.Err())
	}
}

func TestClaimConditions(t *testing.T) {
	ev := func(seq int, kind EventKind, claim string, owners ...Owner) Event {
		return Event{Seq: seq, Kind: kind, Claim: claim, Ordinal: -1, UID: claim + "-" + string(rune('a'+seq)), Owners: owners}
	}
	set := Owner{Kind: "StatefulSet", Name: "web", UID: "s", Controller: true}
	tl := Timeline{StatefulSet: "web", Events: []Event{
		ev(1, ClaimCreated, "data-web-0"), ev(2, ClaimOwnersChanged, "data-web-0", set), ev(3, ClaimDeleted, "data-web-0"), ev(4, ClaimCreated, "data-web-0"),
	}}
	owned := func(o []Owner) bool { return len(o) == 1 }
	for _, c := range []struct {
		name string
		cond Condition
		want bool
	}{
		{"gone", ClaimsGone(0, "data-web-0"), true},
		{"gone, another claim not", ClaimsGone(0, "data-web-0", "data-web-1"), false},
		{"gone before the mark", ClaimsGone(3, "data-web-0"), false},
		{"owned", ClaimOwnersBecome("data-web-0", 0, owned), true},
		{"owned before the mark", ClaimOwnersBecome("data-web-0", 2, owned), false},
		{"recreated", ClaimRecreated("data-web-0", 0), true},
		{"created, never deleted before", ClaimRecreated("data-web-0", 3), false},
	} {
		if got := c.cond(tl); got != c.want {
			t.Errorf("%s: %t, want %t", c.name, got, c.want)
		}
	}
}
