package guarantee

import (
	"strings"
	"testing"

	"github.com/stsconform/stsconform/framework/timeline"
)

func creation(from, to int) func(timeline.Timeline) error {
	return func(tl timeline.Timeline) error { return OrderedCreationInput{From: from, To: to}.Judge(tl) }
}

func TestOrderedCreationOf3(t *testing.T) {
	runChecks(t, creation(0, 3), []checkCase{
		{
			name: "sequential scale-up",
			tl:   newScript().up(0, "r1").up(1, "r1").up(2, "r1").timeline(),
		},
		{
			name: "re-creation after deletion while predecessors ready",
			tl:   newScript().up(0, "r1").up(1, "r1").up(2, "r1").down(1).up(1, "r1").timeline(),
		},
		{
			name: "pod 2 created while pod 0 had become Unready",
			tl:   newScript().up(0, "r1").up(1, "r1").unready(0).create(2, "r1").timeline(),
			wantIn: []string{"web-2 (ordinal 2) was created while predecessor(s) web-0 were",
				"#7 Unready web-0", "web-1 uid=uid-1-1 revision=r1 phase=Running ready=true"},
		},
		{
			name:   "pod 2 created while pod 0 was gone",
			tl:     newScript().up(0, "r1").up(1, "r1").down(0).create(2, "r1").timeline(),
			wantIn: []string{"web-2 (ordinal 2)", "web-0: no live pod; last incarnation", "Deleted web-0"},
		},
		{
			name:   "pod 2 created while pod 1 Running but not Ready",
			tl:     newScript().up(0, "r1").create(1, "r1").running(1).create(2, "r1").ready(1).timeline(),
			wantIn: []string{"web-2 (ordinal 2)", "predecessor(s) web-1 were"},
		},
		{
			name:   "parallel burst",
			tl:     newScript().create(0, "r1").create(1, "r1").create(2, "r1").timeline(),
			wantIn: []string{"(and 1 more violation(s))", "web-1 (ordinal 1)", "web-2 (ordinal 2)", "predecessor(s) web-0, web-1"},
		},
		{
			name:   "re-creation of pod 2 while pod 1 is not Ready",
			tl:     newScript().up(0, "r1").up(1, "r1").up(2, "r1").down(2).unready(1).create(2, "r1").timeline(),
			wantIn: []string{"web-2 (ordinal 2)", "web-1"},
		},
	})
}

func TestOrderedCreationOf2(t *testing.T) {
	runChecks(t, creation(0, 2), []checkCase{
		{
			name:   "pod 1 created before pod 0 Ready",
			tl:     newScript().create(0, "r1").running(0).create(1, "r1").ready(0).timeline(),
			wantIn: []string{"web-1 (ordinal 1) was created", "predecessor(s) web-0", "web-0 uid=uid-0-1 revision=r1 phase=Running ready=false", "rv=1003"},
		},
		{
			name:   "pod 1 created before pod 0 Running",
			tl:     newScript().create(0, "r1").create(1, "r1").timeline(),
			wantIn: []string{"web-1 (ordinal 1)", "web-0 uid=uid-0-1 revision=r1 phase=Pending"},
		},
	})
}

func TestOrderedCreationScaleUp(t *testing.T) {
	runChecks(t, creation(2, 3), []checkCase{
		{
			name: "baseline pods are state, not judged",
			tl: newScript().asBaseline(true).create(1, "r1").up(0, "r1").running(1).ready(1).
				asBaseline(false).up(2, "r1").timeline(),
		},
		{
			name:   "scaled-up pod created while a baseline pod was not Ready",
			tl:     newScript().asBaseline(true).up(0, "r1").create(1, "r1").asBaseline(false).up(2, "r1").timeline(),
			wantIn: []string{"web-2 (ordinal 2) was created while predecessor(s) web-1 were not Running and Ready", "(baseline)"},
		},
	})
}

// A timeline without what the guarantee is about must not pass: no pods,
// another StatefulSet's pods, a window that opened after the creations.
func TestOrderedCreationRefusesMissingEvidence(t *testing.T) {
	// A recorder started for "db" whose selector matched web's pods: their
	// names do not parse as db ordinals.
	other := threeUp().timeline()
	other.StatefulSet = "db"
	for i := range other.Events {
		other.Events[i].Ordinal = timeline.ParseOrdinal("db", other.Events[i].Pod)
	}
	runChecks(t, creation(0, 3), []checkCase{
		{
			name:   "empty timeline",
			tl:     newScript().timeline(),
			lacks:  true,
			wantIn: []string{"ordered creation: evidence lacks pods web-0..web-2: the timeline holds 0 events for them; it holds no events at all"},
		},
		{
			name:   "events of another StatefulSet's pods",
			tl:     other,
			lacks:  true,
			wantIn: []string{"evidence lacks pods db-0..db-2", "it holds 9 events, of web-0, web-1, web-2", "timeline of ns/db"},
		},
		{
			name:   "the last pod never seen",
			tl:     newScript().up(0, "r1").up(1, "r1").timeline(),
			lacks:  true,
			wantIn: []string{"evidence lacks pods web-2: the timeline holds 0 events for them"},
		},
		{
			name:   "window opened after the creations",
			tl:     threeUp().timeline().Since(9),
			lacks:  true,
			wantIn: []string{"evidence lacks the creation of web-0..web-2: they appear only as baseline"},
		},
	})
}

func TestOrderedCreationRejectsNonScaleUp(t *testing.T) {
	for _, args := range [][2]int{{3, 3}, {3, 1}, {-1, 2}, {3, 0}} {
		if err := (OrderedCreationInput{From: args[0], To: args[1]}).Judge(threeUp().timeline()); err == nil {
			t.Errorf("ordered-creation from %d to %d accepted", args[0], args[1])
		}
	}
}

// Without To, the pods the timeline shows are judged: a recording whose
// scale-up is not known (an artifact judged by the report or by verify
// without --to) still proves something, and an empty one nothing.
func TestOrderedCreationInfersTheRange(t *testing.T) {
	runChecks(t, OrderedCreationInput{}.Judge, []checkCase{
		{name: "the three pods recorded", tl: threeUp().timeline()},
		{
			name:   "a pod created before its predecessor was Ready",
			tl:     newScript().up(0, "r1").create(1, "r1").create(2, "r1").timeline(),
			wantIn: []string{"web-2 (ordinal 2) was created while predecessor(s) web-1 were not Running and Ready"},
		},
		{
			name:   "no pod of the StatefulSet",
			tl:     newScript().timeline(),
			lacks:  true,
			wantIn: []string{"ordered creation: evidence lacks pods of web: the timeline holds 0 events, none of a pod named web-<ordinal>"},
		},
	})
	if s := (OrderedCreationInput{}).String(); !strings.Contains(s, "inferred") {
		t.Errorf("an inferred range does not say so: %q", s)
	}
}
