package guarantee

import "testing"

func TestOrderedCreation(t *testing.T) {
	runChecks(t, OrderedCreation, []checkCase{
		{
			name: "sequential scale-up",
			tl:   newScript().up(0, "r1").up(1, "r1").up(2, "r1").timeline(),
		},
		{
			name: "re-creation after deletion while predecessors ready",
			tl:   newScript().up(0, "r1").up(1, "r1").up(2, "r1").down(1).up(1, "r1").timeline(),
		},
		{
			name: "baseline pods are state, not judged",
			tl: newScript().asBaseline(true).create(1, "r1").up(0, "r1").running(1).ready(1).
				asBaseline(false).up(2, "r1").timeline(),
		},
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
			wantIn: []string{"2 violation(s)", "web-1 (ordinal 1)", "web-2 (ordinal 2)", "predecessor(s) web-0, web-1"},
		},
		{
			name:   "re-creation of pod 2 while pod 1 is not Ready",
			tl:     newScript().up(0, "r1").up(1, "r1").up(2, "r1").down(2).unready(1).create(2, "r1").timeline(),
			wantIn: []string{"web-2 (ordinal 2)", "web-1"},
		},
	})
}
