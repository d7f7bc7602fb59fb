package guarantee

import (
	"encoding/json"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/stsconform/stsconform/framework/timeline"
)

// A recorded input the recording cannot bear (an edited file, as the
// report reads it) is refused before its checker spans it: a count far
// past the pods is the evidence it lacks, in memory that follows the file;
// a seq past the end or a negative value is inconsistent evidence.
func TestRejudgeBoundsTheRecordedInput(t *testing.T) {
	tl := threeUp().timeline()
	for _, c := range []struct {
		checker, input, want string
		lacks                bool
	}{
		{"ordered-creation", `{"to":1000000000}`, "ordered creation: evidence lacks pods web-3..web-999999999: the timeline holds 0 events for them", true},
		{"ordered-creation", `{"from":3,"to":4}`, "ordered creation: evidence lacks pods web-3:", true},
		{"rolling-update", `{"replicas":1000000000,"newRevision":"b"}`, "rolling update: evidence lacks pods web-3..web-999999999", true},
		{"pod-index-label", `{"first":1000000000,"replicas":1}`, "the evidence is inconsistent: the recorded check by pod-index-label: pod-index-label's first 1000000000 is beyond 2: an ordinal of web the recording holds", false},
		{"ordered-creation", `{"to":-1}`, "the evidence is inconsistent: the recorded check by ordered-creation: ordered-creation's to is -1: it cannot be negative", false},
		{"scale-down-halt", `{"pod":"web-0","from":3,"to":1,"observed":1000,"release":1}`, "the evidence is inconsistent: the recorded check by scale-down-halt: scale-down-halt's observed 1000 is beyond", false},
		{"rolling-update", `{"replicas":3,"partition":4,"newRevision":"b"}`, "the evidence is inconsistent: the recorded check by rolling-update: rolling-update's partition 4 is beyond 3: a partition beyond the pods recorded keeps them all", false},
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		r := Rejudge(tl, timeline.Check{Checker: c.checker, Through: tl.LastSeq(), Input: json.RawMessage(c.input)})
		runtime.ReadMemStats(&after)
		err := r.Problem()
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s %s: %v, want %q", c.checker, c.input, err, c.want)
		}
		var lacking *EvidenceError
		if errors.As(r.Verdict, &lacking) != c.lacks {
			t.Errorf("%s %s: verdict %v, want evidence lacking: %v", c.checker, c.input, r.Verdict, c.lacks)
		}
		var inconsistent *timeline.InconsistentError
		if errors.As(r.Err, &inconsistent) == c.lacks {
			t.Errorf("%s %s: error %v, want inconsistent evidence: %v", c.checker, c.input, r.Err, !c.lacks)
		}
		if grown := after.TotalAlloc - before.TotalAlloc; grown > 16<<20 {
			t.Errorf("%s %s allocated %d MB", c.checker, c.input, grown>>20)
		}
	}
	if r := Rejudge(tl, timeline.Check{Checker: "ordered-creation", Through: tl.LastSeq(), Input: json.RawMessage(`{"to":3}`)}); r.Problem() != nil {
		t.Errorf("an input in range: %v", r.Problem())
	}
}
