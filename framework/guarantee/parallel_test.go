package guarantee

import (
	"strings"
	"testing"

	"github.com/stsconform/stsconform/framework/timeline"
)

// burst is web-0 created and held unready, web-1 and web-2 up beside it,
// as the Parallel spec leaves them; the scale-down is judged from mark on.
func burst() (s *script, mark int) {
	s = newScript().create(0, "r1").running(0).up(1, "r1").up(2, "r1")
	return s, len(s.events)
}

func burstTo1(mark int) func(timeline.Timeline) error {
	return func(tl timeline.Timeline) error {
		return ParallelTerminationInput{Pod: "web-0", From: 3, To: 1}.Judge(tl.Since(mark))
	}
}

func TestParallelTermination(t *testing.T) {
	runBuilt(t, burst, burstTo1, []builtCase{
		{
			name:  "both removed at once while web-0 is unready",
			build: func(s *script) *script { return s.terminating(2).terminating(1).deleted(1).deleted(2) },
		},
		{
			name:  "removed one after the other is allowed too",
			build: func(s *script) *script { return s.down(2).down(1) },
		},
		{
			name:  "web-0 released and Ready once both are gone",
			build: func(s *script) *script { return s.down(2).down(1).ready(0) },
		},
		{
			name:   "web-0 Ready between the two removals",
			build:  func(s *script) *script { return s.down(2).ready(0).down(1) },
			lacks:  true,
			wantIn: []string{"evidence lacks a hold of web-0: web-0 became Ready during the scale-down (#12 Ready web-0"},
		},
		{
			name:   "a pod of the range left",
			build:  func(s *script) *script { return s.down(2) },
			wantIn: []string{"parallel pod management: web-1 (ordinal 1) was still present at the end of the timeline (#11); the scale-down to 1 replicas must delete it"},
		},
		{
			name:   "a pod of the range terminating but never deleted",
			build:  func(s *script) *script { return s.down(2).terminating(1) },
			wantIn: []string{"web-1 (ordinal 1) was still present at the end", "terminating"},
		},
		{
			name:   "the kept pod terminated",
			build:  func(s *script) *script { return s.down(2).down(1).down(0) },
			wantIn: []string{"web-0 (ordinal 0) began terminating, but the scale-down to 1 replicas must keep ordinals below 1"},
		},
		{
			name:   "the held pod Ready in the window",
			build:  func(s *script) *script { return s.ready(0).down(2).down(1) },
			lacks:  true,
			wantIn: []string{"parallel pod management: evidence lacks a hold of web-0: web-0 became Ready during the scale-down (#9 Ready web-0"},
		},
		{
			name:   "nothing after the mark",
			build:  func(s *script) *script { return s },
			lacks:  true,
			wantIn: []string{"evidence lacks the scale-down: the timeline holds no event after its baseline (8 events)"},
		},
	})

	ready := threeUp()
	mark := len(ready.events)
	runChecks(t, burstTo1(mark), []checkCase{{
		name:   "web-0 Ready when the scale-down began",
		tl:     ready.down(2).down(1).timeline(),
		lacks:  true,
		wantIn: []string{"evidence lacks a hold of web-0: web-0 was Ready when the scale-down began (web-0 uid=uid-0-1 revision=r1 phase=Running ready=true"},
	}})
	runChecks(t, burstTo1(0), []checkCase{{
		name:   "empty timeline",
		tl:     newScript().timeline(),
		lacks:  true,
		wantIn: []string{"evidence lacks pods web-0..web-2: the timeline holds 0 events for them"},
	}})
}

// The same evidence judged as OrderedReady is a violation, not a lack of
// evidence: the contrast the Parallel spec asserts.
func TestParallelTerminationBreaksOrderedTermination(t *testing.T) {
	s, mark := burst()
	tl := s.terminating(2).terminating(1).deleted(1).deleted(2).timeline().Since(mark)
	err := OrderedTerminationInput{From: 3, To: 1}.Judge(tl)
	if _, ok := err.(Violations); !ok || !strings.Contains(err.Error(), "web-2 (ordinal 2) began terminating while web-0, kept by the scale-down to 1, was not Running and Ready") {
		t.Fatalf("OrderedTermination over a burst scale-down = %v", err)
	}
}

func TestParallelTerminationRejectsPodsTheScaleDownRemoves(t *testing.T) {
	for _, held := range []string{"web-1", "web-2", "db-0"} {
		if err := (ParallelTerminationInput{Pod: held, From: 3, To: 1}).Judge(threeUp().timeline()); err == nil || !strings.Contains(err.Error(), "must be a pod of web that a scale-down") {
			t.Errorf("ParallelTermination(%s) = %v", held, err)
		}
	}
}
