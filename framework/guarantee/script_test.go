package guarantee

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stsconform/stsconform/framework/timeline"
)

var epoch = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// script writes timelines the way the recorder would: one Seq per event,
// increasing resourceVersions, and per-pod phase and revision carried on
// every event.
type script struct {
	events     []timeline.Event
	generation map[int]int
	revision   map[int]string
	phase      map[int]string
	baseline   bool
	notes      []timeline.Note
	// podIndex overrides the pod-index label of the ordinal's next
	// incarnations; without it the label is the ordinal, as the controller
	// sets it.
	podIndex map[int]string
}

func newScript() *script {
	return &script{generation: map[int]int{}, revision: map[int]string{}, phase: map[int]string{}}
}

func (s *script) emit(kind timeline.EventKind, n int) *script {
	seq := len(s.events) + 1
	index, ok := s.podIndex[n]
	if !ok {
		index = fmt.Sprint(n)
	}
	s.events = append(s.events, timeline.Event{
		Seq:             seq,
		Kind:            kind,
		Pod:             fmt.Sprintf("web-%d", n),
		Ordinal:         n,
		UID:             fmt.Sprintf("uid-%d-%d", n, s.generation[n]),
		ResourceVersion: fmt.Sprint(1000 + seq),
		ObservedAt:      epoch.Add(time.Duration(seq) * time.Second),
		Revision:        s.revision[n],
		Phase:           s.phase[n],
		PodIndex:        index,
		Baseline:        s.baseline,
	})
	return s
}

func (s *script) create(n int, revision string) *script {
	s.generation[n]++
	s.revision[n], s.phase[n] = revision, "Pending"
	return s.emit(timeline.Created, n)
}

// indexed makes ordinal n's pods carry the pod-index label value (""
// for none), as a controller that broke the label would.
func (s *script) indexed(n int, value string) *script {
	if s.podIndex == nil {
		s.podIndex = map[int]string{}
	}
	s.podIndex[n] = value
	return s
}

func (s *script) running(n int) *script {
	s.phase[n] = "Running"
	return s.emit(timeline.Running, n)
}

func (s *script) ready(n int) *script   { return s.emit(timeline.Ready, n) }
func (s *script) unready(n int) *script { return s.emit(timeline.Unready, n) }

func (s *script) terminating(n int) *script { return s.emit(timeline.Terminating, n) }
func (s *script) deleted(n int) *script     { return s.emit(timeline.Deleted, n) }

// up is a pod created and brought to Running and Ready.
func (s *script) up(n int, revision string) *script {
	return s.create(n, revision).running(n).ready(n)
}

// down is a graceful deletion: Terminating, the kubelet marking it unready,
// then the object gone.
func (s *script) down(n int) *script {
	return s.terminating(n).unready(n).deleted(n)
}

// asBaseline marks what follows as pre-existing state, as the recorder's
// initial List does.
func (s *script) asBaseline(on bool) *script {
	s.baseline = on
	return s
}

// relabel reports the live pod n with another revision, as no controller
// would: the revision label of a pod never changes.
func (s *script) relabel(n int, revision string) *script {
	s.revision[n] = revision
	return s.emit(timeline.Unready, n).emit(timeline.Ready, n)
}

// replace is one step of a rolling update of ordinal n.
func (s *script) replace(n int, revision string) *script {
	return s.down(n).up(n, revision)
}

// note records a spec's note after the events so far, as Recorder.Mark
// does.
func (s *script) note(text string) *script {
	s.notes = append(s.notes, timeline.Note{After: len(s.events), Text: text})
	return s
}

// anchor is the anchor of the first note with the text, 0 for none: what
// the spec that wrote it passed to the checker. Only tests look notes up
// by text; specs keep the anchor Mark returned.
func anchor(tl timeline.Timeline, text string) int {
	for _, n := range tl.Notes {
		if n.Text == text {
			return n.After
		}
	}
	return 0
}

func (s *script) timeline() timeline.Timeline {
	return timeline.Timeline{StatefulSet: "web", Namespace: "ns", Events: s.events, Notes: s.notes}
}

// builtCase is a checkCase whose timeline continues a shared start.
type builtCase struct {
	name   string
	build  func(*script) *script
	wantIn []string
	lacks  bool
}

// runBuilt runs each case on a fresh start; check judges from the start's
// mark on.
func runBuilt(t *testing.T, start func() (*script, int), check func(mark int) func(timeline.Timeline) error, cases []builtCase) {
	t.Helper()
	for _, c := range cases {
		s, mark := start()
		runChecks(t, check(mark), []checkCase{{name: c.name, tl: c.build(s).timeline(), wantIn: c.wantIn, lacks: c.lacks}})
	}
}

type checkCase struct {
	name string
	tl   timeline.Timeline
	// wantIn lists what the error must mention; nil means the check must pass.
	wantIn []string
	// lacks says the error must be an *EvidenceError (no verdict), not
	// Violations.
	lacks bool
}

func runChecks(t *testing.T, check func(timeline.Timeline) error, cases []checkCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := check(c.tl)
			if c.wantIn == nil {
				if err != nil {
					t.Fatalf("valid timeline rejected:\n%v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("violation not detected; want an error mentioning %q", c.wantIn)
			}
			_, isViolations := err.(Violations)
			_, isEvidence := err.(*EvidenceError)
			switch {
			case c.lacks && !isEvidence:
				t.Errorf("error is %T, want *EvidenceError", err)
			case !c.lacks && !isViolations:
				t.Errorf("error is %T, want Violations", err)
			}
			for _, s := range c.wantIn {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error does not mention %q:\n%v", s, err)
				}
			}
			t.Logf("reported as expected:\n%v", err)
		})
	}
}
