package guarantee

import (
	"strings"
	"testing"

	"github.com/stsconform/stsconform/framework/timeline"
)

// release records the note a spec writes before releasing the held pod.
func (s *script) release(pod string) *script { return s.note(released(pod)) }

func released(pod string) string { return pod + " released" }

// observedNote is the note of the controller's observation of the
// scale-down.
const observedNote = "the controller observed the scale-down"

func holdWeb1() func(timeline.Timeline) error {
	return func(tl timeline.Timeline) error {
		return HeldBlocksInput{Pod: "web-1", Successor: "web-2", Release: anchor(tl, released("web-1"))}.Judge(tl)
	}
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
			wantIn: []string{"ordered creation: evidence lacks the release of web-1: the input names none (the seq its note follows), so the hold has no end"},
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
		if err := (HeldBlocksInput{Pod: pair[0], Successor: pair[1], Release: 9}).Judge(threeUp().timeline()); err == nil {
			t.Errorf("held-blocks of %s by %s accepted", pair[1], pair[0])
		}
	}
}

// heldWeb0 is three pods up with web-0 then held unready; the scale-down
// to 1 is judged from mark on.
func heldWeb0() (s *script, mark int) {
	s = threeUp().unready(0)
	return s, len(s.events)
}

func haltBehindWeb0(mark int) func(timeline.Timeline) error {
	return func(tl timeline.Timeline) error { return haltInput(tl).Judge(tl.Since(mark)) }
}

// haltInput takes the anchors of the release and the controller's
// observation from the notes the script wrote.
func haltInput(tl timeline.Timeline) ScaleDownHaltInput {
	return ScaleDownHaltInput{Pod: "web-0", From: 3, To: 1, Observed: anchor(tl, observedNote), Release: anchor(tl, released("web-0"))}
}

func TestScaleDownHalt(t *testing.T) {
	observed := observedNote
	runBuilt(t, heldWeb0, haltBehindWeb0, []builtCase{
		{
			name:  "nothing terminates until the held pod is released and Ready",
			build: func(s *script) *script { return s.note(observed).release("web-0").ready(0).down(2).down(1) },
		},
		{
			name: "a kept successor flapping in the window is not a termination",
			build: func(s *script) *script {
				return s.note(observed).unready(1).ready(1).release("web-0").ready(0).down(2).down(1)
			},
		},
		{
			name: "the highest ordinal terminates while the held pod is unready",
			build: func(s *script) *script {
				return s.note(observed).terminating(2).release("web-0").ready(0).deleted(2).down(1)
			},
			wantIn: []string{"ordered termination: web-2 (ordinal 2) began terminating while the held web-0, which the scale-down to 1 keeps, was not Running and Ready (window: the scale-down to its release after #11)",
				"#11 Terminating web-2", "web-0 uid=uid-0-1 revision=r1 phase=Running ready=false"},
		},
		{
			name: "a termination before the controller's note is in the window too",
			build: func(s *script) *script {
				return s.terminating(2).note(observed).release("web-0").ready(0).deleted(2).down(1)
			},
			wantIn: []string{"web-2 (ordinal 2) began terminating while the held web-0", "#11 Terminating web-2"},
		},
		{
			name:   "a pod deleted without a Terminating event",
			build:  func(s *script) *script { return s.note(observed).deleted(2).release("web-0").ready(0).down(1) },
			wantIn: []string{"web-2 (ordinal 2) began terminating while the held web-0", "#11 Deleted web-2"},
		},
		{
			name:   "no release note",
			build:  func(s *script) *script { return s.note(observed).ready(0).down(2).down(1) },
			lacks:  true,
			wantIn: []string{"ordered termination: evidence lacks the release of web-0: the input names none (the seq its note follows), so the hold has no end"},
		},
		{
			name:   "no note that the controller observed the scale-down",
			build:  func(s *script) *script { return s.release("web-0").ready(0).down(2).down(1) },
			lacks:  true,
			wantIn: []string{"evidence lacks the controller's view of the scale-down: the input names no note of the controller's observation", "so the window may have closed before the controller acted"},
		},
		{
			name:   "the controller's note after the release",
			build:  func(s *script) *script { return s.release("web-0").ready(0).note(observed).down(2).down(1) },
			lacks:  true,
			wantIn: []string{"evidence lacks the controller's view of the scale-down: the controller's observation is noted after #11, after the release after #10"},
		},
		{
			name:   "the held pod Ready before its release",
			build:  func(s *script) *script { return s.note(observed).ready(0).down(2).release("web-0").down(1) },
			lacks:  true,
			wantIn: []string{"evidence lacks a hold of web-0: web-0 became Ready before its release after #14 (#11 Ready web-0"},
		},
	})

	// Windows that open on a pod that is not held.
	ready := threeUp()
	readyMark := len(ready.events)
	gone := threeUp().down(0)
	goneMark := len(gone.events)
	uncut, _ := heldWeb0()
	runChecks(t, haltBehindWeb0(readyMark), []checkCase{{
		name:   "the held pod Ready when the scale-down began",
		tl:     ready.note(observed).release("web-0").down(2).down(1).timeline(),
		lacks:  true,
		wantIn: []string{"evidence lacks a hold of web-0: web-0 was Ready when the scale-down began (web-0 uid=uid-0-1 revision=r1 phase=Running ready=true"},
	}})
	runChecks(t, haltBehindWeb0(goneMark), []checkCase{{
		name:   "the held pod gone when the scale-down began",
		tl:     gone.note(observed).release("web-0").down(2).down(1).timeline(),
		lacks:  true,
		wantIn: []string{"evidence lacks pods web-0: the timeline holds 0 events for them"},
	}})
	runChecks(t, func(tl timeline.Timeline) error { return haltInput(tl).Judge(tl) }, []checkCase{{
		name:   "a recording not cut at the scale-down",
		tl:     uncut.note(observed).release("web-0").ready(0).down(2).down(1).timeline(),
		lacks:  true,
		wantIn: []string{"evidence lacks a hold of web-0: web-0 had no live pod when the scale-down began (web-0: no live pod; never seen)"},
	}})
	runChecks(t, haltBehindWeb0(0), []checkCase{{
		name:   "an empty recording with both notes",
		tl:     newScript().note(observed).release("web-0").timeline(),
		lacks:  true,
		wantIn: []string{"evidence lacks pods web-0..web-2: the timeline holds 0 events for them"},
	}})
}

func TestScaleDownHaltRejectsPodsTheScaleDownRemoves(t *testing.T) {
	for _, c := range []struct {
		held     string
		from, to int
	}{{"web-1", 3, 1}, {"web-2", 3, 1}, {"web-0", 1, 1}, {"db-0", 3, 1}} {
		if err := (ScaleDownHaltInput{Pod: c.held, From: c.from, To: c.to, Observed: 9, Release: 9}).Judge(threeUp().timeline()); err == nil || !strings.Contains(err.Error(), "must be a pod of web that a scale-down") {
			t.Errorf("scale-down-halt behind %s from %d to %d = %v", c.held, c.from, c.to, err)
		}
	}
}
