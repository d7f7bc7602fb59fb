package guarantee

import (
	"testing"

	"github.com/stsconform/stsconform/framework/timeline"
)

// onDeleteStart is 3 pods on r1 and the template change to r2 noted.
func onDeleteStart() (*script, int) {
	s := newScript().asBaseline(true).up(0, "r1").up(1, "r1").up(2, "r1").asBaseline(false).note("image -> r2")
	return s, 0
}

func TestOnDelete(t *testing.T) {
	check := func(int) func(timeline.Timeline) error {
		return func(tl timeline.Timeline) error {
			return OnDeleteInput{Replicas: 3, NewRevision: "r2", Deletes: anchor(tl, "deleting pods")}.Judge(tl)
		}
	}
	runBuilt(t, onDeleteStart, check, []builtCase{
		{name: "held, then each deleted pod back on r2", build: func(s *script) *script {
			return s.unready(1).ready(1).note("deleting pods").replace(2, "r2").replace(1, "r2").replace(0, "r2")
		}},
		{name: "the controller replaced web-2 on its own", build: func(s *script) *script {
			return s.replace(2, "r2").note("deleting pods").replace(1, "r2").replace(0, "r2")
		}, wantIn: []string{"web-2 (ordinal 2) began terminating before any pod was deleted", "web-2 (ordinal 2) was created before any pod was deleted", "#10 Terminating web-2"}},
		{name: "a deleted pod came back on the old revision", build: func(s *script) *script {
			return s.note("deleting pods").replace(2, "r2").replace(1, "r1").replace(0, "r2")
		}, wantIn: []string{"web-1 (ordinal 1) was re-created on revision r1, not the new revision r2", "web-1 (ordinal 1) is not on revision r2"}},
		{name: "web-0 never deleted", build: func(s *script) *script {
			return s.note("deleting pods").replace(2, "r2").replace(1, "r2")
		}, wantIn: []string{"web-0 (ordinal 0) is not on revision r2", "web-0 uid=uid-0-1 revision=r1"}},
		{name: "no deletions noted", build: func(s *script) *script { return s.replace(2, "r2") }, wantIn: []string{"the start of the deletions"}, lacks: true},
		{name: "nothing re-created after the deletions began", build: func(s *script) *script { return s.note("deleting pods").ready(0) }, wantIn: []string{"a pod re-created on revision r2"}, lacks: true},
	})
}
