package guarantee

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stsconform/stsconform/framework/timeline"
)

// fuzzBytes reads a fuzzer's bytes as choices, 0 once they run out.
type fuzzBytes struct{ data []byte }

func (b *fuzzBytes) next() byte {
	if len(b.data) == 0 {
		return 0
	}
	c := b.data[0]
	b.data = b.data[1:]
	return c
}

// fuzzStrings are the values a string field of an input gets: pods,
// revisions, a claim template and the retention policies.
var fuzzStrings = []string{"", "web-0", "web-1", "web-2", "web-3", "r0", "r1", "data", "Retain", "Delete"}

// fuzzInput fills the scalar fields of c's zero input from b, ints in
// -1..10 so that most are in the recording's range and get judged.
func fuzzInput(c *Checker, b *fuzzBytes) json.RawMessage {
	fields := map[string]any{}
	t := reflect.TypeOf(c.Zero()).Elem()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		switch t.Field(i).Type.Kind() {
		case reflect.Int:
			fields[name] = int(b.next()%12) - 1
		case reflect.String:
			fields[name] = fuzzStrings[int(b.next())%len(fuzzStrings)]
		case reflect.Bool:
			fields[name] = b.next()&1 == 1
		}
	}
	raw, _ := json.Marshal(fields)
	return raw
}

// fuzzTimeline builds a recording the recorder could write from b: two
// bytes an event (its kind, then its ordinal 0..7, baseline and revision),
// with a note or a status of the set after some of them.
func fuzzTimeline(b *fuzzBytes, events int) timeline.Timeline {
	tl := timeline.Timeline{StatefulSet: "web", Namespace: "ns"}
	generation := map[int]int{}
	for seq := 1; seq <= events; seq++ {
		k, o := b.next(), b.next()
		kind := timeline.Kinds[int(k)%len(timeline.Kinds)]
		n := int(o % 8)
		if kind == timeline.Created {
			generation[n]++
		}
		e := timeline.Event{
			Seq: seq, Kind: kind, Pod: fmt.Sprintf("web-%d", n), Ordinal: n,
			UID:             fmt.Sprintf("uid-%d-%d", n, generation[n]),
			ResourceVersion: fmt.Sprint(1000 + seq),
			ObservedAt:      epoch.Add(time.Duration(seq) * time.Second),
			Revision:        fmt.Sprintf("r%d", o>>3&1), PodIndex: fmt.Sprint(n),
			Phase: "Running", Baseline: o&0x80 != 0,
		}
		if timeline.IsClaimEvent(kind) {
			e.Claim, e.Pod, e.Ordinal, e.PodIndex = fmt.Sprintf("data-web-%d", n), "", -1, ""
		}
		tl.Events = append(tl.Events, e)
		if k&0x40 != 0 {
			tl.Notes = append(tl.Notes, timeline.Note{After: seq, Text: "fuzz"})
		}
		if k&0x20 != 0 {
			r := int32(o>>4) % 5
			tl.Statuses = append(tl.Statuses, timeline.SetStatus{
				After: seq, ObservedAt: e.ObservedAt, Generation: 1, ObservedGeneration: 1,
				SpecReplicas: r, Replicas: r, ReadyReplicas: r / 2, AvailableReplicas: r / 2, Partition: -1,
			})
		}
	}
	return tl
}

// fuzzSeed writes a recorded timeline as fuzzTimeline's bytes, so that the
// fuzzer starts from what real clusters did.
func fuzzSeed(tl timeline.Timeline) []byte {
	out := []byte{byte(len(tl.Events))}
	for _, e := range tl.Events {
		k := slices.Index(timeline.Kinds, e.Kind)
		o := byte(max(e.Ordinal, 0) % 8)
		if e.Baseline {
			o |= 0x80
		}
		out = append(out, byte(max(k, 0)), o)
	}
	return append(out, make([]byte, 64)...)
}

// FuzzCheckers judges arbitrary recordings with every registered checker
// and arbitrary inputs, as verify and the report do (Rejudge): no checker
// may panic, and none may cost memory beyond the recording's size.
func FuzzCheckers(f *testing.F) {
	for _, dir := range []string{"../../cmd/stsconform/testdata", "../report/testdata"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		for _, file := range files {
			tl, err := timeline.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(fuzzSeed(tl))
		}
	}
	f.Add(fuzzSeed(threeUp().timeline()))
	f.Fuzz(func(t *testing.T, data []byte) {
		b := &fuzzBytes{data}
		tl := fuzzTimeline(b, int(b.next()))
		if err := timeline.Validate(tl); err != nil {
			t.Fatalf("the fuzzer built a timeline the recorder could not write: %v", err)
		}
		for _, c := range Checkers() {
			rc := timeline.Check{Checker: c.Name, Since: int(b.next()) % (tl.LastSeq() + 1), Through: tl.LastSeq(), Input: fuzzInput(c, b)}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			r := Rejudge(tl, rc)
			runtime.ReadMemStats(&after)
			if grown := after.TotalAlloc - before.TotalAlloc; grown > 32<<20 {
				t.Fatalf("%s %s on %d events allocated %d MB", c.Name, rc.Input, len(tl.Events), grown>>20)
			}
			_ = r.Problem()
		}
	})
}

func TestFuzzSeedsAreRecordings(t *testing.T) {
	data, err := os.ReadFile("../../cmd/stsconform/testdata/ordered-creation.json")
	if err != nil {
		t.Fatal(err)
	}
	tl, err := timeline.Decode(data, "ordered-creation.json")
	if err != nil {
		t.Fatal(err)
	}
	b := &fuzzBytes{fuzzSeed(tl)}
	got := fuzzTimeline(b, int(b.next()))
	for i, e := range got.Events {
		if e.Kind != tl.Events[i].Kind || e.Pod != tl.Events[i].Pod {
			t.Fatalf("event %d: %s %s, recorded %s %s", i, e.Kind, e.Pod, tl.Events[i].Kind, tl.Events[i].Pod)
		}
	}
}
