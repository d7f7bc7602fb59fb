package timeline

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/labels"
)

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func mustStart(ctx context.Context, t *testing.T, a *fakeAPI) *Recorder {
	t.Helper()
	r, err := Start(ctx, a.cs, "ns", "web", labels.SelectorFromSet(labels.Set{"app": "web"}))
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(r.Stop)
	return r
}

func waitFor(ctx context.Context, t *testing.T, r *Recorder, what string, cond func(Timeline) bool) Timeline {
	t.Helper()
	if err := r.WaitFor(ctx, cond); err != nil {
		t.Fatalf("waiting for %s: %v\n%s", what, err, render(r.Snapshot()))
	}
	return r.Snapshot()
}

func hasEvent(kind EventKind, pod string) func(Timeline) bool {
	return func(tl Timeline) bool { return len(tl.ForPod(pod).Kinds(kind).Events) > 0 }
}

func render(tl Timeline) string { return tl.Render() }

func noteTexts(tl Timeline) string {
	var b strings.Builder
	for _, n := range tl.Notes {
		fmt.Fprintln(&b, n)
	}
	return b.String()
}

// comparable drops what a test cannot predict (the recorder's clock) after
// checking it never goes backwards.
func comparable(t *testing.T, events []Event) []Event {
	t.Helper()
	out := make([]Event, len(events))
	for i, e := range events {
		if i > 0 && e.ObservedAt.Before(events[i-1].ObservedAt) {
			t.Errorf("ObservedAt went backwards at %v", e)
		}
		if e.ObservedAt.IsZero() {
			t.Errorf("ObservedAt not set on %v", e)
		}
		e.ObservedAt = time.Time{}
		out[i] = e
	}
	return out
}

func assertEvents(t *testing.T, got, want []Event) {
	t.Helper()
	got = comparable(t, got)
	if reflect.DeepEqual(got, want) {
		return
	}
	t.Errorf("events differ")
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = fmt.Sprintf("%+v", got[i])
		}
		if i < len(want) {
			w = fmt.Sprintf("%+v", want[i])
		}
		mark := "  "
		if g != w {
			mark = "!="
		}
		t.Logf("%s got  %s\n   want %s", mark, g, w)
	}
}

func TestRecorderRecordsLifecycleInWatchOrder(t *testing.T) {
	a := newFakeAPI(t)
	ctx := testContext(t)
	r := mustStart(ctx, t, a)

	rvCreated := a.create("web-0", "rev1")
	rvScheduled := a.update("web-0", schedule("node-a"))
	rvRunning := a.update("web-0", run("10.0.0.7"))
	a.update("web-0", annotate)
	readyAt := epoch.Add(time.Hour)
	rvReady := a.update("web-0", setReady(true, readyAt))
	rvCreated1 := a.create("web-1", "rev1")
	tl := waitFor(ctx, t, r, "web-1 Created", hasEvent(Created, "web-1"))

	pod0 := Event{Pod: "web-0", Ordinal: 0, UID: "uid-web-0-101", Revision: "rev1", Image: "img:rev1"}
	at := func(seq int, kind EventKind, rv string, change func(*Event)) Event {
		e := pod0
		e.Seq, e.Kind, e.ResourceVersion = seq, kind, rv
		change(&e)
		return e
	}
	want := []Event{
		at(1, Created, rvCreated, func(e *Event) { e.ObjectTime = epoch.Add(101 * time.Second); e.Phase = "Pending" }),
		at(2, Scheduled, rvScheduled, func(e *Event) { e.Node = "node-a"; e.Phase = "Pending" }),
		at(3, Running, rvRunning, func(e *Event) { e.Node, e.PodIP, e.Phase = "node-a", "10.0.0.7", "Running" }),
		at(4, Ready, rvReady, func(e *Event) { e.Node, e.PodIP, e.Phase, e.ObjectTime = "node-a", "10.0.0.7", "Running", readyAt }),
		{Seq: 5, Kind: Created, Pod: "web-1", Ordinal: 1, UID: "uid-web-1-106", ResourceVersion: rvCreated1,
			ObjectTime: epoch.Add(106 * time.Second), Revision: "rev1", Image: "img:rev1", Phase: "Pending"},
	}
	assertEvents(t, tl.Events, want)
	if tl.StatefulSet != "web" || tl.Namespace != "ns" {
		t.Errorf("timeline identifies %s/%s, want ns/web", tl.Namespace, tl.StatefulSet)
	}
}

func TestRecorderRecordsUnreadyTerminatingAndDeleted(t *testing.T) {
	a := newFakeAPI(t)
	ctx := testContext(t)
	r := mustStart(ctx, t, a)

	a.create("web-0", "rev1")
	a.update("web-0", run("10.0.0.7"))
	a.update("web-0", setReady(true, epoch))
	unreadyAt := epoch.Add(time.Minute)
	rvUnready := a.update("web-0", setReady(false, unreadyAt))
	deletingAt := epoch.Add(2 * time.Minute)
	rvTerminating := a.update("web-0", markDeleted(deletingAt))
	a.update("web-0", annotate)
	rvDeleted := a.remove("web-0")
	tl := waitFor(ctx, t, r, "web-0 Deleted", hasEvent(Deleted, "web-0"))

	var kinds []EventKind
	for _, e := range tl.Events {
		kinds = append(kinds, e.Kind)
	}
	if want := []EventKind{Created, Running, Ready, Unready, Terminating, Deleted}; !slices.Equal(kinds, want) {
		t.Fatalf("kinds = %v, want %v\n%s", kinds, want, render(tl))
	}
	checks := []struct {
		kind       EventKind
		rv         string
		objectTime time.Time
	}{
		{Unready, rvUnready, unreadyAt},
		{Terminating, rvTerminating, deletingAt},
		{Deleted, rvDeleted, time.Time{}},
	}
	for _, c := range checks {
		e := tl.Kinds(c.kind).Events[0]
		if e.ResourceVersion != c.rv || !e.ObjectTime.Equal(c.objectTime) {
			t.Errorf("%s: rv=%s objectTime=%v, want rv=%s objectTime=%v", c.kind, e.ResourceVersion, e.ObjectTime, c.rv, c.objectTime)
		}
	}
}

func TestRecorderRecordsListedPodsAsBaselineInOrdinalOrder(t *testing.T) {
	a := newFakeAPI(t)
	ctx := testContext(t)
	for _, name := range []string{"web-10", "web-2"} {
		a.create(name, "rev1")
		a.update(name, run("10.0.0.1"))
		a.update(name, setReady(true, epoch))
	}
	a.create("web-3", "rev1")

	r := mustStart(ctx, t, a)
	a.update("web-3", run("10.0.0.3"))
	tl := waitFor(ctx, t, r, "web-3 Running", hasEvent(Running, "web-3"))

	var got []string
	for _, e := range tl.Events {
		got = append(got, fmt.Sprintf("%s %s baseline=%t", e.Pod, e.Kind, e.Baseline))
	}
	want := []string{
		"web-2 Created baseline=true", "web-2 Running baseline=true", "web-2 Ready baseline=true",
		"web-3 Created baseline=true",
		"web-10 Created baseline=true", "web-10 Running baseline=true", "web-10 Ready baseline=true",
		"web-3 Running baseline=false",
	}
	if !slices.Equal(got, want) {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The List's note follows its baseline events, #1 to #7.
	if first := tl.Notes[0]; first.After != 7 || !strings.Contains(first.Text, "3 pods") {
		t.Errorf("first note does not record the List after its baseline: %+v", first)
	}
}

func TestRecorderLosesNothingBetweenListAndWatch(t *testing.T) {
	a := newFakeAPI(t)
	ctx := testContext(t)
	a.create("web-0", "rev1")
	listRV := fmt.Sprint(a.rv)
	// These land after the List was served and before the watch starts: a
	// watch from "now" would never report them.
	var rvBetween string
	a.afterList = func() {
		a.update("web-0", run("10.0.0.1"))
		rvBetween = a.create("web-1", "rev1")
	}

	r := mustStart(ctx, t, a)
	tl := waitFor(ctx, t, r, "web-1 Created", hasEvent(Created, "web-1"))

	if got := a.requestedWatchRVs(); len(got) == 0 || got[0] != listRV {
		t.Errorf("watch started at resourceVersions %v, want first %s (the List's)", got, listRV)
	}
	if e := tl.ForPod("web-1").Events[0]; e.ResourceVersion != rvBetween || e.Baseline {
		t.Errorf("web-1 recorded as %v, want rv %s and not baseline", e, rvBetween)
	}
	if len(tl.ForPod("web-0").Kinds(Running).Events) != 1 {
		t.Errorf("web-0 Running between List and Watch was lost:\n%s", render(tl))
	}
}

func TestRecorderResumesAfterDroppedWatchWithoutLossOrDuplicates(t *testing.T) {
	a := newFakeAPI(t)
	ctx := testContext(t)
	r := mustStart(ctx, t, a)

	a.create("web-0", "rev1")
	waitFor(ctx, t, r, "web-0 Created", hasEvent(Created, "web-0"))
	a.update("web-0", run("10.0.0.1"))
	waitFor(ctx, t, r, "web-0 Running", hasEvent(Running, "web-0"))
	lastSeen := fmt.Sprint(a.rv)

	a.dropWatches()
	// Changes while no watch is open must be replayed by the next watch.
	a.update("web-0", setReady(true, epoch))
	a.create("web-1", "rev1")
	tl := waitFor(ctx, t, r, "web-1 Created", hasEvent(Created, "web-1"))

	rvs := a.requestedWatchRVs()
	if len(rvs) != 2 || rvs[1] != lastSeen {
		t.Errorf("watch requests at %v, want a resume at %s (last event seen)", rvs, lastSeen)
	}
	var kinds []string
	for _, e := range tl.Events {
		kinds = append(kinds, e.Pod+" "+string(e.Kind))
	}
	if want := []string{"web-0 Created", "web-0 Running", "web-0 Ready", "web-1 Created"}; !slices.Equal(kinds, want) {
		t.Errorf("events %v, want %v", kinds, want)
	}
	for i, e := range tl.Events {
		if e.Seq != i+1 {
			t.Errorf("event %d has Seq %d", i, e.Seq)
		}
	}
	if err := r.Err(); err != nil {
		t.Errorf("Err after a resumed watch: %v", err)
	}
}

func TestRecorderResumesFromBookmark(t *testing.T) {
	a := newFakeAPI(t)
	ctx := testContext(t)
	r := mustStart(ctx, t, a)
	a.create("web-0", "rev1")
	waitFor(ctx, t, r, "web-0 Created", hasEvent(Created, "web-0"))
	// A closed watch channel still yields what was buffered before the
	// close, so the bookmark is read before the drop is noticed.
	bookmarkRV := a.bookmark()
	a.dropWatches()
	a.waitForWatches(ctx, t, 2)
	if rvs := a.requestedWatchRVs(); rvs[1] != bookmarkRV {
		t.Errorf("watch requests at %v, want the resume at bookmark %s", rvs, bookmarkRV)
	}
	a.update("web-0", run("10.0.0.1"))
	tl := waitFor(ctx, t, r, "web-0 Running", hasEvent(Running, "web-0"))
	if len(tl.Events) != 2 {
		t.Errorf("want exactly Created and Running, bookmark must not produce events:\n%s", render(tl))
	}
}

func TestRecorderEndsOnExpiredWatch(t *testing.T) {
	a := newFakeAPI(t)
	ctx := testContext(t)
	r := mustStart(ctx, t, a)
	a.create("web-0", "rev1")
	waitFor(ctx, t, r, "web-0 Created", hasEvent(Created, "web-0"))

	a.expire()
	err := r.WaitFor(ctx, hasEvent(Ready, "web-0"))
	if err == nil || !strings.Contains(err.Error(), "too old resource version") {
		t.Fatalf("WaitFor after 410 Gone = %v, want the watch failure", err)
	}
	if r.Err() == nil {
		t.Error("Err is nil after the watch failed")
	}
	if notes := noteTexts(r.Snapshot()); !strings.Contains(notes, "recording ended") {
		t.Errorf("notes do not record the end: %q", notes)
	}
}

func TestWaitForReturnsContextCause(t *testing.T) {
	a := newFakeAPI(t)
	r := mustStart(testContext(t), t, a)
	ctx, cancel := context.WithCancelCause(t.Context())
	cause := errors.New("spec timed out")
	cancel(cause)
	if err := r.WaitFor(ctx, hasEvent(Ready, "web-0")); !errors.Is(err, cause) {
		t.Errorf("WaitFor = %v, want %v", err, cause)
	}
}

func TestWaitForReturnsImmediatelyWhenConditionHolds(t *testing.T) {
	a := newFakeAPI(t)
	a.create("web-0", "rev1")
	r := mustStart(testContext(t), t, a)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := r.WaitFor(ctx, hasEvent(Created, "web-0")); err != nil {
		t.Errorf("WaitFor on a condition already true = %v", err)
	}
}

func TestWaitForEndsWhenStopped(t *testing.T) {
	a := newFakeAPI(t)
	ctx := testContext(t)
	r := mustStart(ctx, t, a)
	result := make(chan error, 1)
	go func() { result <- r.WaitFor(ctx, hasEvent(Ready, "web-0")) }()
	r.Stop()
	r.Stop()
	if err := <-result; !errors.Is(err, ErrStopped) {
		t.Errorf("WaitFor after Stop = %v, want ErrStopped", err)
	}
	if r.Err() != nil {
		t.Errorf("Err after a requested stop = %v, want nil", r.Err())
	}
}

// The anchor Mark returns is the one its note carries: a spec's mark and
// the window a checker judges cannot disagree.
func TestRecorderMarkReturnsItsNotesAnchor(t *testing.T) {
	a := newFakeAPI(t)
	ctx := testContext(t)
	r := mustStart(ctx, t, a)
	a.create("web-0", "rev1")
	a.update("web-0", run("10.0.0.1"))
	waitFor(ctx, t, r, "web-0 Running", hasEvent(Running, "web-0"))
	seq := r.Mark("scaled to 0")
	notes := r.Snapshot().Notes
	if last := notes[len(notes)-1]; seq != 2 || last != (Note{After: 2, Text: "scaled to 0"}) {
		t.Errorf("Mark = %d, note %+v; want both anchored after #2", seq, last)
	}
	r.RecordCheck(Check{Checker: "ordered-creation", Through: seq, Input: []byte(`{"to":1}`)})
	if got := r.Snapshot().Checks; len(got) != 1 || got[0].Checker != "ordered-creation" {
		t.Errorf("recorded checks = %+v", got)
	}
}
