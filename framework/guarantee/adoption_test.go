package guarantee

import (
	"testing"

	"github.com/stsconform/stsconform/framework/timeline"
)

// owners is a change of pod n's ownerReferences.
func (s *script) owners(n int, owners ...timeline.Owner) *script {
	s.emit(timeline.OwnersChanged, n)
	s.events[len(s.events)-1].Owners = owners
	return s
}

// ownedUp is pod n created by the set and Ready.
func (s *script) ownedUp(n int) *script {
	s.create(n, "r1")
	s.events[len(s.events)-1].Owners = []timeline.Owner{setOwner}
	return s.running(n).ready(n)
}

func TestAdoption(t *testing.T) {
	adopt := func(mark int) func(timeline.Timeline) error {
		return func(tl timeline.Timeline) error {
			return AdoptionInput{Pod: "web-0", Adopt: true, SetUID: "uid-set"}.Judge(tl.Since(mark))
		}
	}
	start := func() (*script, int) {
		s := newScript().asBaseline(true).ownedUp(0).asBaseline(false)
		return s, len(s.events)
	}
	runBuilt(t, start, adopt, []builtCase{
		{name: "orphaned, then adopted", build: func(s *script) *script { return s.owners(0).owners(0, setOwner) }},
		{name: "orphaned, never adopted", build: func(s *script) *script { return s.owners(0) },
			wantIn: []string{"adoption: orphan web-0 uid=uid-0-1 matches the selector of StatefulSet web but was never adopted", "offending event: #4 OwnersChanged web-0"}},
		{name: "orphaned, deleted instead", build: func(s *script) *script { return s.owners(0).down(0) },
			wantIn: []string{"web-0 uid=uid-0-1 was deleted instead of being adopted", "#5 Terminating web-0"}},
		{name: "taken by a stale set of the same name", build: func(s *script) *script {
			return s.owners(0).owners(0, timeline.Owner{Kind: "StatefulSet", Name: "web", UID: "uid-old", Controller: true})
		}, wantIn: []string{"orphan web-0 was taken by StatefulSet/web uid=uid-old (controller), not by StatefulSet web"}},
		{name: "never orphaned in the window", build: func(s *script) *script { return s.running(0) },
			lacks: true, wantIn: []string{"evidence lacks web-0 without a controller"}},
	})
	release := func(mark int) func(timeline.Timeline) error {
		return func(tl timeline.Timeline) error { return AdoptionInput{Pod: "web-0"}.Judge(tl.Since(mark)) }
	}
	runBuilt(t, start, release, []builtCase{
		{name: "released", build: func(s *script) *script { return s.owners(0) }},
		{name: "kept although it no longer matches", build: func(s *script) *script { return s.running(0) },
			wantIn: []string{"web-0 uid=uid-0-1 no longer matches the selector but StatefulSet web never released it"}},
		{name: "deleted instead of released", build: func(s *script) *script { return s.down(0) },
			wantIn: []string{"was deleted instead of being released"}},
	})
	runChecks(t, func(tl timeline.Timeline) error { return AdoptionInput{Pod: "web-0"}.Judge(tl) }, []checkCase{
		{name: "empty recording", tl: newScript().timeline(), lacks: true, wantIn: []string{"evidence lacks pod web-0"}},
		{name: "not the set's to release", tl: newScript().up(0, "r1").owners(0).timeline(), lacks: true,
			wantIn: []string{"evidence lacks web-0 owned by StatefulSet web"}},
	})
}
