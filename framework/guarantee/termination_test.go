package guarantee

import (
	"strings"
	"testing"

	"github.com/stsconform/stsconform/framework/timeline"
)

func threeUp() *script {
	return newScript().up(0, "r1").up(1, "r1").up(2, "r1")
}

func scaleDown(from, to int) func(timeline.Timeline) error {
	return func(tl timeline.Timeline) error { return OrderedTerminationInput{From: from, To: to}.Judge(tl) }
}

func TestOrderedTerminationFrom3To1(t *testing.T) {
	runChecks(t, scaleDown(3, 1), []checkCase{
		{
			name: "reverse order, one at a time",
			tl:   threeUp().down(2).down(1).timeline(),
		},
		{
			name: "pods recorded as baseline",
			tl:   newScript().asBaseline(true).up(0, "r1").up(1, "r1").up(2, "r1").asBaseline(false).down(2).down(1).timeline(),
		},
		{
			name:   "termination of 1 starts before 2 is Deleted",
			tl:     threeUp().terminating(2).terminating(1).deleted(2).deleted(1).timeline(),
			wantIn: []string{"web-1 (ordinal 1) began terminating while successor(s) web-2 were not yet Deleted", "web-2 uid=uid-2-1 revision=r1 phase=Running ready=true terminating", "#10 Terminating web-2"},
		},
		{
			name:   "two pods terminating concurrently",
			tl:     threeUp().terminating(2).terminating(1).unready(2).unready(1).deleted(1).deleted(2).timeline(),
			wantIn: []string{"web-1 (ordinal 1) began terminating while successor(s) web-2"},
		},
		{
			name:   "ascending order",
			tl:     threeUp().down(1).down(2).timeline(),
			wantIn: []string{"web-1 (ordinal 1) began terminating while successor(s) web-2", "termination order so far: web-1 (#10)"},
		},
		{
			name:   "pod below the target terminated",
			tl:     threeUp().down(2).down(1).down(0).timeline(),
			wantIn: []string{"web-0 (ordinal 0) began terminating, but the scale-down to 1 replicas must keep ordinals below 1"},
		},
		{
			name:   "a pod of the range never deleted",
			tl:     threeUp().down(2).terminating(1).timeline(),
			wantIn: []string{"web-1 (ordinal 1) was still present at the end", "terminating"},
		},
		{
			name:   "a pod of the range never seen",
			tl:     newScript().up(0, "r1").up(1, "r1").down(1).timeline(),
			lacks:  true,
			wantIn: []string{"ordered termination: evidence lacks pods web-2: the timeline holds 0 events for them"},
		},
		{
			name:   "empty timeline",
			tl:     newScript().timeline(),
			lacks:  true,
			wantIn: []string{"ordered termination: evidence lacks pods web-0..web-2: the timeline holds 0 events for them; it holds no events at all"},
		},
		{
			name:   "deleted without a Terminating event while successor live",
			tl:     threeUp().deleted(1).down(2).timeline(),
			wantIn: []string{"web-1 (ordinal 1) began terminating while successor(s) web-2", "#10 Deleted web-1"},
		},
		{
			name: "a removed pod's own unreadiness does not halt it",
			tl:   threeUp().unready(2).down(2).down(1).timeline(),
		},
		{
			name: "the kept pod Ready again before the scale-down went on",
			tl:   threeUp().down(2).unready(0).ready(0).down(1).timeline(),
		},
		{
			name: "a pod terminated while the pod the scale-down keeps is unready",
			tl:   threeUp().down(2).unready(0).down(1).ready(0).timeline(),
			wantIn: []string{"web-1 (ordinal 1) began terminating while web-0, kept by the scale-down to 1, was not Running and Ready (the scale-down must halt until it is)",
				"#14 Terminating web-1", "web-0 uid=uid-0-1 revision=r1 phase=Running ready=false"},
		},
		{
			// Recorded as pre-existing state, the deletion is no part of
			// this scale-down.
			name:   "a pod of the range deleted only in the baseline",
			tl:     newScript().asBaseline(true).up(0, "r1").up(1, "r1").up(2, "r1").down(2).asBaseline(false).down(1).timeline(),
			wantIn: []string{"no deletion of web-2 (ordinal 2) was observed; the scale-down from 3 replicas should have deleted it"},
		},
		{
			name:   "recreated after deletion",
			tl:     threeUp().down(2).down(1).create(2, "r1").timeline(),
			wantIn: []string{"web-2 (ordinal 2) was still present at the end"},
		},
	})
}

func TestOrderedTerminationFrom3To0(t *testing.T) {
	runChecks(t, scaleDown(3, 0), []checkCase{
		{
			name: "reverse order to zero",
			tl:   threeUp().down(2).down(1).down(0).timeline(),
		},
		{
			name:   "ascending order",
			tl:     threeUp().down(0).down(1).down(2).timeline(),
			wantIn: []string{"web-0 (ordinal 0) began terminating while successor(s) web-1, web-2", "web-1 (ordinal 1) began terminating while successor(s) web-2"},
		},
		{
			name:   "all at once",
			tl:     threeUp().terminating(2).terminating(1).terminating(0).deleted(0).deleted(1).deleted(2).timeline(),
			wantIn: []string{"web-1 (ordinal 1)", "web-0 (ordinal 0) began terminating while successor(s) web-1, web-2"},
		},
	})
}

func TestOrderedTerminationWindowAfterRollingUpdate(t *testing.T) {
	// A rolling update replaced web-1 before the scale-down; judged on the
	// whole timeline that replacement looks like a termination out of order,
	// and Since is how a caller excludes it.
	s := threeUp().replace(2, "r2").replace(1, "r2").replace(0, "r2")
	mark := len(s.events)
	tl := s.down(2).down(1).timeline()
	if err := (OrderedTerminationInput{From: 3, To: 1}).Judge(tl.Since(mark)); err != nil {
		t.Errorf("scale-down after an update rejected:\n%v", err)
	}
	if err := (OrderedTerminationInput{From: 3, To: 1}).Judge(tl); err == nil {
		t.Error("the earlier update's deletion of web-0 should count against a scale-down to 1 when not cut off")
	}
}

func TestOrderedTerminationRejectsNonScaleDown(t *testing.T) {
	for _, args := range [][2]int{{1, 1}, {1, 2}, {3, -1}} {
		err := OrderedTerminationInput{From: args[0], To: args[1]}.Judge(threeUp().timeline())
		if err == nil || !strings.Contains(err.Error(), "not a scale-down") {
			t.Errorf("OrderedTermination(from %d, to %d) = %v", args[0], args[1], err)
		}
	}
}

func TestOrderedTerminationHaltsBehindEveryKeptPod(t *testing.T) {
	fiveUp := threeUp().up(3, "r1").up(4, "r1")
	runChecks(t, scaleDown(5, 2), []checkCase{{
		name:   "web-1 unready while web-4 terminates",
		tl:     fiveUp.unready(1).down(4).ready(1).down(3).down(2).timeline(),
		wantIn: []string{"web-4 (ordinal 4) began terminating while web-1, kept by the scale-down to 2, was not Running and Ready"},
	}})
}
