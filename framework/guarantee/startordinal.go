package guarantee

import (
	"errors"
	"fmt"
	"slices"

	"github.com/stsconform/stsconform/framework/timeline"
)

// StartOrdinalRule is the documented numbering from .spec.ordinals.start
// (GA in v1.31).
var StartOrdinalRule = Rule{
	Name: "start ordinal",
	Doc: "\".spec.ordinals.start: If the .spec.ordinals.start field is set, Pods will be assigned ordinals from .spec.ordinals.start up through " +
		".spec.ordinals.start + .spec.replicas - 1\"; \"created sequentially, in order from {0..N-1}\" (from the start ordinal)",
}

var startOrdinal = &Checker{
	Name: "start-ordinal", Rule: StartOrdinalRule,
	Judges: "a creation or change of .spec.ordinals.start: pods start..start+N-1 created in order, none outside them, exactly those live at the end",
	input:  func() Check { return new(StartOrdinalInput) },
}

// StartOrdinalInput is the numbering the start-ordinal checker judges:
// .spec.ordinals.start (0 when unset or removed) and the replicas.
type StartOrdinalInput struct {
	Start    int `json:"start"`
	Replicas int `json:"replicas"`
}

func (StartOrdinalInput) Checker() *Checker { return startOrdinal }

func (in StartOrdinalInput) String() string {
	return fmt.Sprintf("%d replicas numbered from start ordinal %d (ordinals %d to %d)", in.Replicas, in.Start, in.Start, in.Start+in.Replicas-1)
}

// Judge checks the window that opens at a creation or a change of the
// start ordinal (cut it with Timeline.Since): no pod outside
// Start..Start+Replicas-1 was created in it; each pod created in that
// range was created only while every lower ordinal of the range had a live
// pod that was Running and Ready (ordered creation, counted from Start);
// at the end exactly the ordinals of the range are live, each Running and
// Ready and not terminating, so pods outside the new range were removed.
//
// The window must show the creation of every ordinal of the range that was
// not live when it opened, and at least one creation; otherwise an
// *EvidenceError says what is missing: a window opened after the change
// proves nothing about it.
func (in StartOrdinalInput) Judge(tl timeline.Timeline) error {
	if in.Start < 0 || in.Replicas <= 0 {
		return errors.New("start-ordinal: start must not be negative and replicas must be positive")
	}
	want := span(in.Start, in.Start+in.Replicas)
	r := newReplay(tl.StatefulSet)
	opened := false
	var missing []int // ordinals of the range not live when the window opened
	created := map[int]bool{}
	var vs Violations
	for _, e := range tl.Events {
		if !e.Baseline && !opened {
			opened = true
			missing = in.notLive(r, want)
		}
		if e.Kind == timeline.Created && !e.Baseline && e.Ordinal >= 0 {
			created[e.Ordinal] = true
			switch n := e.Ordinal; {
			case !slices.Contains(want, n):
				vs = append(vs, Violation{
					Rule:  StartOrdinalRule,
					Event: at(e),
					Problem: fmt.Sprintf("%s (ordinal %d) was created outside the ordinals %d to %d that start ordinal %d and %d replicas give",
						e.Pod, n, in.Start, in.Start+in.Replicas-1, in.Start, in.Replicas),
					Evidence: stateOf(r, want),
				})
			case n > in.Start:
				if notReady := notRunningAndReady(r, span(in.Start, n)); len(notReady) > 0 {
					vs = append(vs, Violation{
						Rule:  StartOrdinalRule,
						Event: at(e),
						Problem: fmt.Sprintf("%s (ordinal %d) was created while predecessor(s) %s, counted from start ordinal %d, were not Running and Ready",
							e.Pod, n, names(tl.StatefulSet, notReady), in.Start),
						Evidence: stateOf(r, span(in.Start, n)),
					})
				}
			}
		}
		r.apply(e)
	}
	if !opened {
		missing = in.notLive(r, want)
	}
	var notCreated []int
	for _, n := range missing {
		if !created[n] {
			notCreated = append(notCreated, n)
		}
	}
	if len(vs) == 0 && (len(notCreated) > 0 || len(created) == 0) {
		if len(notCreated) == 0 {
			return lacks(tl, StartOrdinalRule, "a creation", "no pod was seen being created in the window, so the numbering was never exercised; open it before the change; "+holds(tl))
		}
		return lacks(tl, StartOrdinalRule, "the creation of "+podRange(tl.StatefulSet, notCreated),
			"they were not live when the window opened and were never seen being created; "+holds(tl))
	}
	var live []int
	for n := range r.live {
		live = append(live, n)
	}
	slices.Sort(live)
	for _, n := range live {
		if !slices.Contains(want, n) {
			vs = append(vs, Violation{
				Rule:     StartOrdinalRule,
				Problem:  fmt.Sprintf("at the end of the timeline (#%d) %s-%d (ordinal %d) is still live, outside the ordinals %d to %d", tl.LastSeq(), tl.StatefulSet, n, n, in.Start, in.Start+in.Replicas-1),
				Evidence: []string{r.describe(n)},
			})
		}
	}
	for _, n := range want {
		if p := r.live[n]; p == nil || !p.runningAndReady() || p.terminating {
			vs = append(vs, Violation{
				Rule:     StartOrdinalRule,
				Problem:  fmt.Sprintf("at the end of the timeline (#%d) %s-%d (ordinal %d, within start ordinal %d and %d replicas) is not live, Running and Ready", tl.LastSeq(), tl.StatefulSet, n, n, in.Start, in.Replicas),
				Evidence: []string{r.describe(n)},
			})
		}
	}
	return vs.err()
}

func (in StartOrdinalInput) notLive(r *replay, ordinals []int) []int {
	var out []int
	for _, n := range ordinals {
		if r.live[n] == nil {
			out = append(out, n)
		}
	}
	return out
}

// NumberedFrom is a condition for timeline.Recorder.WaitFor: exactly the
// ordinals Start..Start+Replicas-1 are live, each Running and Ready and not
// terminating. Wait on it before judging a change of the start ordinal.
func NumberedFrom(in StartOrdinalInput) func(timeline.Timeline) bool {
	return func(tl timeline.Timeline) bool {
		r := newReplay(tl.StatefulSet)
		for _, e := range tl.Events {
			r.apply(e)
		}
		if len(r.live) != in.Replicas {
			return false
		}
		for n := in.Start; n < in.Start+in.Replicas; n++ {
			if p := r.live[n]; p == nil || !p.runningAndReady() || p.terminating {
				return false
			}
		}
		return true
	}
}
