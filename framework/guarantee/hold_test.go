package guarantee

import (
	"testing"

	"github.com/stsconform/stsconform/framework/timeline"
)

// release records the note a spec writes before releasing the held pod.
func (s *script) release(pod string) *script {
	s.notes = append(s.notes, timeline.NoteAfter(len(s.events), ReleaseNote(pod)))
	return s
}

func holdWeb1() func(timeline.Timeline) error {
	return func(tl timeline.Timeline) error { return HeldBlocks(tl, "web-1", "web-2") }
}

func TestHeldBlocks(t *testing.T) {
	runChecks(t, holdWeb1(), []checkCase{
		{
			name: "successor created only after the release and readiness",
			tl:   newScript().up(0, "r1").create(1, "r1").running(1).release("web-1").ready(1).up(2, "r1").timeline(),
		},
		{
			name: "a successor created after the release is not this check's window",
			tl:   newScript().up(0, "r1").create(1, "r1").running(1).release("web-1").create(2, "r1").ready(1).timeline(),
		},
		{
			name: "successor created before the held pod ran: before any hold was observed",
			tl:   newScript().up(0, "r1").create(1, "r1").create(2, "r1").running(1).release("web-1").timeline(),
			wantIn: []string{"ordered creation: web-2 (ordinal 2) was created while the held web-1 was not Running and Ready (window: #1 to its release after #6)",
				"#5 Created web-2", "web-1 uid=uid-1-1 revision=r1 phase=Pending ready=false"},
		},
		{
			name:   "successor created while the held pod ran unready",
			tl:     newScript().up(0, "r1").create(1, "r1").running(1).create(2, "r1").release("web-1").timeline(),
			wantIn: []string{"web-2 (ordinal 2) was created while the held web-1", "web-1 uid=uid-1-1 revision=r1 phase=Running ready=false"},
		},
		{
			name:   "a higher ordinal created while held",
			tl:     newScript().up(0, "r1").create(1, "r1").running(1).create(3, "r1").release("web-1").timeline(),
			wantIn: []string{"web-3 (ordinal 3) was created while the held web-1", "web-2: no live pod; never seen"},
		},
		{
			name:   "no release note",
			tl:     newScript().up(0, "r1").create(1, "r1").running(1).timeline(),
			lacks:  true,
			wantIn: []string{`ordered creation: evidence lacks the release of web-1: none of the timeline's 0 notes is "web-1 released"`},
		},
		{
			name:   "empty recording with a release note",
			tl:     newScript().release("web-1").timeline(),
			lacks:  true,
			wantIn: []string{"evidence lacks pods web-0..web-1: the timeline holds 0 events for them"},
		},
		{
			name:   "held pod never Running before its release",
			tl:     newScript().up(0, "r1").create(1, "r1").release("web-1").running(1).ready(1).timeline(),
			lacks:  true,
			wantIn: []string{"evidence lacks a hold of web-1: web-1 was never Running before its release after #4"},
		},
		{
			name:   "held pod Ready before its release: the hold did not hold",
			tl:     newScript().up(0, "r1").up(1, "r1").release("web-1").up(2, "r1").timeline(),
			lacks:  true,
			wantIn: []string{"evidence lacks a hold of web-1: web-1 became Ready before its release after #6 (#6 Ready web-1"},
		},
	})
}

func TestHeldBlocksRejectsNonSuccessor(t *testing.T) {
	for _, pair := range [][2]string{{"web-1", "web-1"}, {"web-2", "web-1"}, {"db-1", "db-2"}, {"web-1", "web"}} {
		if err := HeldBlocks(threeUp().timeline(), pair[0], pair[1]); err == nil {
			t.Errorf("HeldBlocks(%s, %s) accepted", pair[0], pair[1])
		}
	}
}
