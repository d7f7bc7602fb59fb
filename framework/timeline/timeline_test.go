package timeline

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
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
		Notes: []Note{{After: 2, Text: "n"}},
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

// Through then Since of the whole recording gives back the window a check
// judged, whatever happened later.
func TestTimelineWindow(t *testing.T) {
	whole := sample()
	later := whole
	later.Events = append(slices.Clone(whole.Events), Event{Seq: 8, Kind: Unready, Pod: "web-0", UID: "a"})
	later.Notes = append(slices.Clone(whole.Notes), Note{After: 8, Text: "later"})
	for _, cut := range []int{0, 2, 5, 7} {
		judged := whole.Since(cut)
		since, through := judged.Window()
		again := later.Through(through).Since(since)
		if !slices.Equal(seqs(again), seqs(judged)) || since != cut {
			t.Errorf("cut at #%d: window (%d, %d) gives %v, judged %v", cut, since, through, seqs(again), seqs(judged))
		}
		if len(again.Notes) != 1 {
			t.Errorf("cut at #%d: notes through #%d = %+v", cut, through, again.Notes)
		}
		c := Check{Since: since, Through: through}
		if !slices.Equal(seqs(c.Window(later)), seqs(judged)) {
			t.Errorf("Check.Window differs from Window at #%d", cut)
		}
	}
	// A cut after which nothing happened ends at the cut, not at the last
	// event Since kept.
	if _, through := sample().Since(5).Through(5).Window(); through != 5 {
		t.Errorf("through = %d, want 5", through)
	}
}

func TestTimelineFileRoundTrip(t *testing.T) {
	tl := sample()
	tl.Events[1].ObjectTime = epoch
	tl.Events[1].Baseline = true
	tl.Statuses = []SetStatus{{After: 2, ResourceVersion: "9", ObservedAt: epoch, Generation: 2, ObservedGeneration: 1, SpecReplicas: 3, Partition: -1, Replicas: 3, AvailableReplicas: 2, UpdateRevision: "b"}}
	path := filepath.Join(t.TempDir(), "nested", "timeline.json")
	if err := tl.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	back, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tl.SchemaVersion = SchemaVersion
	if !reflect.DeepEqual(back, tl) {
		t.Errorf("round trip changed the timeline:\n got %+v\nwant %+v", back, tl)
	}
	data, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(data), "{\n  \"schemaVersion\": 3,") {
		t.Errorf("the file does not open with its schema version:\n%.80s", data)
	}
}

// Version 1 files (no schemaVersion, string notes) are read as version 2:
// an anchored note keeps its anchor, the recorder's unanchored first note
// follows the List's baseline events.
func TestReadsVersion1(t *testing.T) {
	v1 := `{"statefulSet":"web","namespace":"ns","events":[
	  {"seq":1,"kind":"Created","pod":"web-0","ordinal":0,"uid":"a","resourceVersion":"1","observedAt":"2030-01-01T00:00:00Z","baseline":true},
	  {"seq":2,"kind":"Ready","pod":"web-0","ordinal":0,"uid":"a","resourceVersion":"2","observedAt":"2030-01-01T00:00:01Z"}],
	 "notes":["recording started: 1 pods","after #2: web-0 held\nfor a while","after #x: odd"]}`
	var tl Timeline
	if err := json.Unmarshal([]byte(v1), &tl); err != nil {
		t.Fatal(err)
	}
	want := []Note{{After: 1, Text: "recording started: 1 pods"}, {After: 2, Text: "web-0 held\nfor a while"}, {After: 1, Text: "after #x: odd"}}
	if tl.SchemaVersion != 1 || !reflect.DeepEqual(tl.Notes, want) {
		t.Errorf("read version %d with notes %+v\nwant %+v", tl.SchemaVersion, tl.Notes, want)
	}
	for _, bad := range []string{
		`{"schemaVersion":4,"events":[]}`,
		`{"schemaVersion":2,"events":[],"statuses":[{"after":0}]}`,
		`{"events":[],"notes":[{"after":1,"text":"x"}]}`,
		`{"schemaVersion":2,"events":[],"notes":["after #1: x"]}`,
		`{"events":[],"checks":[{"checker":"x","through":1,"input":{}}]}`,
	} {
		if err := json.Unmarshal([]byte(bad), &tl); err == nil {
			t.Errorf("accepted %s", bad)
		} else {
			t.Logf("%s: %v", bad, err)
		}
	}
}

// The recordings under the report's testdata were written by the suite
// before schema 2; they stay readable.
func TestReadsRecordedVersion1Files(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "report", "testdata", "*.json"))
	if len(files) == 0 {
		t.Fatal("no recorded timelines found")
	}
	for _, f := range files {
		tl, err := ReadFile(f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if tl.SchemaVersion != 1 || len(tl.Notes) == 0 || len(tl.Events) == 0 {
			t.Errorf("%s: version %d, %d notes, %d events", f, tl.SchemaVersion, len(tl.Notes), len(tl.Events))
		}
	}
}

// At prefers the object's own time of the transition to the recorder's.
func TestEventAt(t *testing.T) {
	observed := time.Date(2026, 12, 7, 10, 0, 5, 0, time.UTC)
	object := observed.Add(-4 * time.Second)
	if got := (Event{ObservedAt: observed, ObjectTime: object}).At(); !got.Equal(object) {
		t.Errorf("with an object time: At() = %v, want %v", got, object)
	}
	if got := (Event{ObservedAt: observed}).At(); !got.Equal(observed) {
		t.Errorf("without one: At() = %v, want the observed %v", got, observed)
	}
}
