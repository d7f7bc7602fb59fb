package guarantee

import (
	"testing"

	"github.com/stsconform/stsconform/framework/timeline"
)

func numbered(start, replicas int) func(timeline.Timeline) error {
	return func(tl timeline.Timeline) error { return StartOrdinalInput{Start: start, Replicas: replicas}.Judge(tl) }
}

// before is web-3 and web-4 live (start 3, 2 replicas), as the window of a
// change of the start ordinal opens.
func before() *script {
	return newScript().asBaseline(true).up(3, "r1").up(4, "r1").asBaseline(false)
}

func TestStartOrdinalSetting(t *testing.T) {
	runChecks(t, numbered(3, 2), []checkCase{
		{name: "web-3 then web-4", tl: newScript().up(3, "r1").up(4, "r1").timeline()},
		{
			name:   "numbered from 0 instead",
			tl:     newScript().up(0, "r1").up(1, "r1").timeline(),
			wantIn: []string{"web-0 (ordinal 0) was created outside the ordinals 3 to 4", "web-3 (ordinal 3, within start ordinal 3 and 2 replicas) is not live"},
		},
		{
			name:   "web-4 before web-3 was Ready",
			tl:     newScript().create(3, "r1").running(3).create(4, "r1").ready(3).running(4).ready(4).timeline(),
			wantIn: []string{"web-4 (ordinal 4) was created while predecessor(s) web-3, counted from start ordinal 3, were not Running and Ready", "web-3 uid=uid-3-1 revision=r1 phase=Running ready=false"},
		},
		{name: "empty", tl: newScript().timeline(), wantIn: []string{"the creation of web-3..web-4"}, lacks: true},
		{name: "web-4 never created", tl: newScript().up(3, "r1").timeline(), wantIn: []string{"the creation of web-4"}, lacks: true},
	})
}

func TestStartOrdinalChanges(t *testing.T) {
	runChecks(t, numbered(5, 2), []checkCase{
		{name: "increasing 3 -> 5: both replaced", tl: before().down(4).down(3).up(5, "r1").up(6, "r1").timeline()},
		{name: "old pods removed after the new ones", tl: before().up(5, "r1").up(6, "r1").down(4).down(3).timeline()},
		{
			name:   "web-4 left behind",
			tl:     before().down(3).up(5, "r1").up(6, "r1").timeline(),
			wantIn: []string{"web-4 (ordinal 4) is still live, outside the ordinals 5 to 6", "web-4 uid=uid-4-1"},
		},
		{
			name:   "web-6 created while web-5 unready",
			tl:     before().down(4).down(3).create(5, "r1").create(6, "r1").running(5).ready(5).running(6).ready(6).timeline(),
			wantIn: []string{"web-6 (ordinal 6) was created while predecessor(s) web-5"},
		},
		{name: "the window opened after the change", tl: newScript().asBaseline(true).up(5, "r1").up(6, "r1").timeline(), wantIn: []string{"a creation"}, lacks: true},
	})
	runChecks(t, numbered(2, 2), []checkCase{
		{name: "decreasing 3 -> 2: web-4 removed, web-2 created, web-3 kept", tl: before().down(4).up(2, "r1").timeline()},
		{
			name:   "web-2 never created",
			tl:     before().down(4).timeline(),
			wantIn: []string{"the creation of web-2"},
			lacks:  true,
		},
	})
	runChecks(t, numbered(0, 2), []checkCase{
		{name: "removing the start: web-0 and web-1", tl: before().down(4).down(3).up(0, "r1").up(1, "r1").timeline()},
		{
			name:   "web-1 created while web-0 was missing",
			tl:     before().down(4).down(3).up(1, "r1").up(0, "r1").timeline(),
			wantIn: []string{"web-1 (ordinal 1) was created while predecessor(s) web-0", "web-0: no live pod; never seen"},
		},
	})
}
