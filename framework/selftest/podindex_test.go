package selftest

import (
	"testing"
	"time"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/report"
	"github.com/stsconform/stsconform/framework/timeline"
)

// shiftedLabels is what the pod-index-shift policy makes of a scale-up
// from 0 to n: each pod labelled with its ordinal plus one.
func shiftedLabels(n int) timeline.Timeline {
	tl := timeline.Timeline{Namespace: "identity-q", StatefulSet: "web"}
	for i := range n {
		name := "web-" + string(rune('0'+i))
		tl.Events = append(tl.Events, timeline.Event{Seq: i + 1, Kind: timeline.Created, Pod: name, Ordinal: i, UID: "uid-" + name, PodIndex: string(rune('1' + i))})
	}
	return tl
}

// The rule's first line is the pod-index-label checker's own message for
// the labels the policy writes: the suite's specs fail with it as it is
// (expectHeld), so the checker's wording is pinned here.
func TestPodIndexShiftFirstLineIsTheCheckersMessage(t *testing.T) {
	b := breakage(t, "pod-index-shift")
	err := guarantee.PodIndexInput{Replicas: 3}.Judge(shiftedLabels(3))
	if err == nil {
		t.Fatal("the pod-index-label checker passed labels shifted by one")
	}
	line := firstLine(err.Error())
	for _, r := range b.MustFail {
		if !r.FirstLine.MatchString(line) {
			t.Errorf("%s does not match the checker's %q", r.FirstLine, line)
		}
	}
	// Another checker's failure, or a wait's, is not a detection.
	for _, other := range []string{
		"Unexpected error:",
		"ordered creation: web-1 (ordinal 1) was created while predecessor(s) web-0 were not Running and Ready",
		"pod index label: evidence lacks pods web-0..web-2: the timeline holds 0 events for them",
	} {
		for _, r := range b.MustFail {
			if r.FirstLine.MatchString(other) {
				t.Errorf("%s matches %q, which does not name a shifted label", r.FirstLine, other)
			}
		}
	}
}

// A run on the pod-index-shift cluster that the suite got right is
// detected; one whose label specs failed for another reason, or whose
// ordered creation controls failed too, is not.
func TestPodIndexShiftEvaluated(t *testing.T) {
	b := breakage(t, "pod-index-shift")
	shifted := firstLine(guarantee.PodIndexInput{Replicas: 3}.Judge(shiftedLabels(3)).Error())
	run := func(labelLine string, controls string) Run {
		specs := []Spec{
			{Text: "StatefulSet stable network identity gives each pod a hostname", Labels: []string{"Conformance", "NetworkIdentity", "DNS", "PodIndexLabel"}, State: "failed", FailedAfter: 40 * time.Second, FirstLine: labelLine},
			{Text: "StatefulSet start ordinal numbers pods", Labels: []string{"Conformance", "StartOrdinal", "PodIndexLabel"}, State: "failed", FailedAfter: 50 * time.Second, FirstLine: labelLine},
			{Text: "StatefulSet ordered creation scales from 3 to 10", Labels: []string{"Conformance", "OrderedCreation", "Slow", "PodIndexLabel"}, State: "failed", FailedAfter: 60 * time.Second, FirstLine: labelLine},
			{Text: "StatefulSet ordered creation creates pod N+1", Labels: []string{"Conformance", "OrderedCreation"}, State: controls},
			{Text: "StatefulSet ordered creation recreates a deleted pod", Labels: []string{"Conformance", "OrderedCreation"}, State: controls},
		}
		verdicts := map[string]report.Verdict{}
		for l := range b.Guarantees {
			verdicts[l] = report.Failed
		}
		return Run{Specs: specs, Verdicts: verdicts}
	}
	if res := Evaluate(b, run(shifted, "passed")); !res.Detected {
		t.Errorf("the suite's own failures not detected: %v", res.Problems)
	}
	if res := Evaluate(b, run("Unexpected error:", "passed")); res.Detected {
		t.Error("label specs failing without naming the label counted as a detection")
	}
	if res := Evaluate(b, run(shifted, "failed")); res.Detected {
		t.Error("a run whose ordered creation controls failed counted as a detection")
	}
}
