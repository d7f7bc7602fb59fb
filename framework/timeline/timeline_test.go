package timeline

import (
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"
)

func sample() Timeline {
	ev := func(seq int, kind EventKind, pod string, ordinal int, uid string) Event {
		return Event{Seq: seq, Kind: kind, Pod: pod, Ordinal: ordinal, UID: uid, ResourceVersion: "rv" + pod,
			ObservedAt: epoch.Add(time.Duration(seq) * time.Second)}
	}
	return Timeline{
		StatefulSet: "web", Namespace: "ns",
		Events: []Event{
			ev(1, Created, "web-0", 0, "a"),
			ev(2, Ready, "web-0", 0, "a"),
			ev(3, Created, "web-1", 1, "b"),
			ev(4, Terminating, "web-1", 1, "b"),
			ev(5, Deleted, "web-1", 1, "b"),
			ev(6, Created, "web-1", 1, "c"),
			ev(7, Ready, "web-1", 1, "c"),
		},
		Notes: []string{"n"},
	}
}

func seqs(tl Timeline) []int {
	var out []int
	for _, e := range tl.Events {
		out = append(out, e.Seq)
	}
	return out
}

func TestTimelineFilters(t *testing.T) {
	tl := sample()
	if got := seqs(tl.ForOrdinal(1)); !slices.Equal(got, []int{3, 4, 5, 6, 7}) {
		t.Errorf("ForOrdinal(1) = %v", got)
	}
	if got := seqs(tl.ForPod("web-0").Kinds(Ready)); !slices.Equal(got, []int{2}) {
		t.Errorf("ForPod(web-0).Kinds(Ready) = %v", got)
	}
	if got := seqs(tl.Kinds(Created, Deleted)); !slices.Equal(got, []int{1, 3, 5, 6}) {
		t.Errorf("Kinds(Created, Deleted) = %v", got)
	}
	if tl.LastSeq() != 7 || (Timeline{}).LastSeq() != 0 {
		t.Errorf("LastSeq = %d", tl.LastSeq())
	}
}

func TestTimelineSinceCarriesLivePodsAsBaseline(t *testing.T) {
	got := sample().Since(5)
	if s := seqs(got); !slices.Equal(s, []int{1, 2, 6, 7}) {
		t.Fatalf("Since(5) = %v, want web-0's history plus the window", s)
	}
	for _, e := range got.Events {
		if e.Baseline != (e.Seq <= 5) {
			t.Errorf("%v: Baseline = %t", e, e.Baseline)
		}
	}
	if sample().Events[0].Baseline {
		t.Error("Since modified the original timeline")
	}
}

func TestTimelineAnnotate(t *testing.T) {
	tl := sample()
	tl.Annotate("second")
	if !slices.Equal(tl.Notes, []string{"n", "second"}) {
		t.Errorf("Notes = %q", tl.Notes)
	}
}

func TestTimelineFileRoundTrip(t *testing.T) {
	tl := sample()
	tl.Events[1].ObjectTime = epoch
	tl.Events[1].Baseline = true
	path := filepath.Join(t.TempDir(), "nested", "timeline.json")
	if err := tl.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	back, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, tl) {
		t.Errorf("round trip changed the timeline:\n got %+v\nwant %+v", back, tl)
	}
}

func TestNoteSeq(t *testing.T) {
	tl := Timeline{Notes: []string{
		"recording started: 0 pods",
		NoteAfter(3, "web-1 held"),
		NoteAfter(7, "web-1 released"),
		NoteAfter(9, "web-1 released"),
		"after #x: web-1 released",
	}}
	if seq, ok := tl.NoteSeq("web-1 released"); !ok || seq != 7 {
		t.Errorf("NoteSeq(released) = %d, %t; want the first, 7", seq, ok)
	}
	if _, ok := tl.NoteSeq("web-1"); ok {
		t.Error("a prefix of a note's text must not match")
	}
	if _, ok := tl.NoteSeq("recording started: 0 pods"); ok {
		t.Error("a note without an anchor has no Seq")
	}
}
