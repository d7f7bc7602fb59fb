package guarantee

import "testing"

func TestRecreate(t *testing.T) {
	// Three pods of r1 with their claims, as the window opens at the
	// template change.
	start := func() *script {
		s := newScript().asBaseline(true)
		for n := range 3 {
			s.up(n, "r1").claim(n)
		}
		return s.asBaseline(false)
	}
	goneThenOrdered := func() *script {
		return start().down(2).down(1).down(0).up(0, "r2").up(1, "r2").up(2, "r2")
	}
	in := RecreateInput{Replicas: 3, NewRevision: "r2", OrderedReady: true, ClaimTemplate: "data"}
	cases := []checkCase{
		{name: "all gone, then created in order", tl: goneThenOrdered().timeline()},
		{name: "deleted in any order, all at once", tl: start().terminating(0).terminating(1).terminating(2).unready(1).deleted(1).unready(0).deleted(0).unready(2).deleted(2).
			up(0, "r2").up(1, "r2").up(2, "r2").timeline()},
		// A rolling update: web-2 replaced while web-0 and web-1 still run.
		{name: "created while old pods remain", tl: start().replace(2, "r2").down(1).down(0).up(0, "r2").up(1, "r2").timeline(),
			wantIn: []string{"web-2 was created while old pods were still in the API (web-0, web-1)", "web-0 uid=uid-0-1 revision=r1"}},
		// The last old pod is still terminating: gone means gone from the API.
		{name: "created while an old pod terminates", tl: start().down(2).down(1).terminating(0).up(0, "r2").unready(0).timeline(),
			wantIn: []string{"web-0 was created while old pods were still in the API (web-0)"}},
		{name: "created out of order", tl: start().down(2).down(1).down(0).up(0, "r2").up(2, "r2").up(1, "r2").timeline(),
			wantIn: []string{"web-2 was created before its predecessors web-1 were Running and Ready on the new revision"}},
		{name: "created on the old revision", tl: start().down(2).down(1).down(0).up(0, "r1").up(1, "r2").up(2, "r2").timeline(),
			wantIn: []string{`web-0 was created on revision "r1", not the new revision r2`}},
		{name: "a claim deleted and re-created", tl: start().down(2).down(1).down(0).claimGone(0).claim(0).up(0, "r2").up(1, "r2").up(2, "r2").timeline(),
			wantIn: []string{"claim data-web-0: ClaimTerminating during the Recreate update", "claim data-web-0: ClaimCreated"}},
		{name: "never finished", tl: start().down(2).down(1).down(0).up(0, "r2").up(1, "r2").timeline(),
			wantIn: []string{"at the end of the timeline (#", "web-2 (ordinal 2) is not on revision r2"}},
		{name: "nothing happened", tl: start().timeline(), wantIn: []string{"evidence lacks the update"}, lacks: true},
		{name: "claims not recorded", tl: newScript().asBaseline(true).up(0, "r1").up(1, "r1").up(2, "r1").asBaseline(false).down(0).timeline(),
			wantIn: []string{"the claims data-web-0, data-web-1, data-web-2"}, lacks: true},
	}
	runChecks(t, in.Judge, cases)

	// Parallel judges no order, the rest the same.
	parallel := RecreateInput{Replicas: 3, NewRevision: "r2"}
	runChecks(t, parallel.Judge, []checkCase{
		{name: "Parallel creates at once", tl: start().down(2).down(1).down(0).create(0, "r2").create(1, "r2").create(2, "r2").
			running(2).running(1).running(0).ready(1).ready(0).ready(2).timeline()},
		{name: "Parallel still waits for every old pod", tl: start().down(2).create(2, "r2").down(1).down(0).running(2).ready(2).up(0, "r2").up(1, "r2").timeline(),
			wantIn: []string{"web-2 was created while old pods were still in the API (web-0, web-1)"}},
	})
}
