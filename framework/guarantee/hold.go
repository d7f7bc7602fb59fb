package guarantee

import (
	"fmt"

	"github.com/stsconform/stsconform/framework/timeline"
)

var heldBlocks = &Checker{
	Name: "held-blocks", Rule: OrderedCreationRule,
	Judges: "the pause/resume proof of ordered creation: no successor created while the held pod was unready, up to its release",
	input:  func() Check { return new(HeldBlocksInput) },
}

// HeldBlocksInput is a hold of the held-blocks checker: Pod was held
// unready from its start until the release, after event #Release.
type HeldBlocksInput struct {
	Pod string `json:"pod"`
	// Successor is the next ordinal, which must wait for Pod.
	Successor string `json:"successor"`
	// Release is the anchor of the note of the release (Recorder.Mark).
	Release int `json:"release"`
}

func (HeldBlocksInput) Checker() *Checker { return heldBlocks }

func (in HeldBlocksInput) String() string {
	return fmt.Sprintf("%s not created while %s was held unready, up to its release after #%d", in.Successor, in.Pod, in.Release)
}

// Judge checks the pause/resume proof of ordered creation over the whole
// recording up to the release of the held Pod: no pod with the Successor's
// ordinal or a higher one was created while the held pod was not Running
// and Ready. Unlike a watch that starts once the hold is seen, this also
// catches a successor created before the held pod ran at all.
//
// The evidence must show a hold: a release inside the recording, events of
// the held pod and its predecessors, the held pod Running before its
// release, and never Ready before it. Without those the window proves
// nothing and an *EvidenceError says which is missing.
func (in HeldBlocksInput) Judge(tl timeline.Timeline) error {
	held, successor := in.Pod, in.Successor
	h := timeline.ParseOrdinal(tl.StatefulSet, held)
	s := timeline.ParseOrdinal(tl.StatefulSet, successor)
	if h < 0 || s <= h {
		return fmt.Errorf("held-blocks: %s must be a successor of %s, both pods of %s", successor, held, tl.StatefulSet)
	}
	if err := requireEvents(tl, OrderedCreationRule, span(0, h+1)); err != nil {
		return err
	}
	release, err := anchored(tl, OrderedCreationRule, "the release of "+held, in.Release, "so the hold has no end")
	if err != nil {
		return err
	}
	r := newReplay(tl.StatefulSet)
	var vs Violations
	var running, ready *timeline.Event
	for _, e := range tl.Events {
		if e.Seq > release {
			break
		}
		if e.Kind == timeline.Created && !e.Baseline && e.Ordinal >= s {
			if p := r.live[h]; p == nil || !p.runningAndReady() {
				vs = append(vs, Violation{
					Rule:  OrderedCreationRule,
					Event: at(e),
					Problem: fmt.Sprintf("%s (ordinal %d) was created while the held %s was not Running and Ready (window: #1 to its release after #%d)",
						e.Pod, e.Ordinal, held, release),
					Evidence: stateOf(r, span(0, e.Ordinal)),
				})
			}
		}
		r.apply(e)
		if e.Ordinal == h {
			if running == nil && e.Phase == "Running" {
				running = at(e)
			}
			if ready == nil && e.Kind == timeline.Ready {
				ready = at(e)
			}
		}
	}
	if len(vs) > 0 {
		return vs
	}
	switch {
	case running == nil:
		return lacks(tl, OrderedCreationRule, "a hold of "+held,
			fmt.Sprintf("%s was never Running before its release after #%d, so the window shows a pod that had not started, not one held unready", held, release))
	case ready != nil:
		return lacks(tl, OrderedCreationRule, "a hold of "+held,
			fmt.Sprintf("%s became Ready before its release after #%d (%s): the hold did not hold, so nothing shows %s waiting for it", held, release, ready, successor))
	}
	return nil
}

var scaleDownHalt = &Checker{
	Name: "scale-down-halt", Rule: OrderedTerminationRule,
	Judges: "an OrderedReady scale-down halted behind an unready pod it keeps, up to that pod's release",
	input:  func() Check { return new(ScaleDownHaltInput) },
}

// ScaleDownHaltInput is a halted scale-down for the scale-down-halt
// checker: from From to To replicas, behind Pod, one the scale-down
// keeps, held unready until its release.
type ScaleDownHaltInput struct {
	Pod  string `json:"pod"`
	From int    `json:"from"`
	To   int    `json:"to"`
	// Observed is the anchor of the note that the StatefulSet controller
	// had observed the scale-down (its observedGeneration reached the
	// scale-down's generation): without it the window may close before
	// the controller acted at all.
	Observed int `json:"observed"`
	// Release is the anchor of the note of the release.
	Release int `json:"release"`
}

func (ScaleDownHaltInput) Checker() *Checker { return scaleDownHalt }

func (in ScaleDownHaltInput) String() string {
	return fmt.Sprintf("scale-down from %d to %d replicas halted behind %s, up to its release after #%d", in.From, in.To, in.Pod, in.Release)
}

// Judge checks the halt of an OrderedReady scale-down from From to To
// replicas behind the held Pod: from the start of the timeline to the
// release of the held pod, no pod of the StatefulSet began terminating
// while the held pod was not Running and Ready. Pass a timeline cut with
// Timeline.Since right before the scale-down; what came before is its
// baseline.
//
// The evidence must show a hold the controller saw: the held pod live and
// not Ready when the window opens, never Ready before its release, and
// the controller's observation (Observed) before the release. Without
// those the window proves nothing and an *EvidenceError says which is
// missing.
func (in ScaleDownHaltInput) Judge(tl timeline.Timeline) error {
	held, from, to := in.Pod, in.From, in.To
	h, err := keptOrdinal("scale-down-halt", tl, held, from, to)
	if err != nil {
		return err
	}
	if err := requireEvents(tl, OrderedTerminationRule, span(0, from)); err != nil {
		return err
	}
	release, err := anchored(tl, OrderedTerminationRule, "the release of "+held, in.Release, "so the hold has no end")
	if err != nil {
		return err
	}
	if in.Observed <= 0 || in.Observed > release {
		found := "the input names no note of the controller's observation"
		if in.Observed > release {
			found = fmt.Sprintf("the controller's observation is noted after #%d, after the release after #%d", in.Observed, release)
		}
		return lacks(tl, OrderedTerminationRule, "the controller's view of the scale-down",
			found+", so the window may have closed before the controller acted")
	}
	r, window := replayBaseline(tl)
	if err := heldAtOpen(tl, r, OrderedTerminationRule, h, held); err != nil {
		return err
	}
	var vs Violations
	for _, e := range window {
		if e.Seq > release {
			break
		}
		if e.Ordinal == h && e.Kind == timeline.Ready {
			return lacks(tl, OrderedTerminationRule, "a hold of "+held,
				fmt.Sprintf("%s became Ready before its release after #%d (%s): the hold did not hold, so nothing shows the scale-down waiting for it", held, release, at(e)))
		}
		if r.startsTermination(e) {
			if p := r.live[h]; p == nil || !p.runningAndReady() {
				vs = append(vs, Violation{
					Rule:  OrderedTerminationRule,
					Event: at(e),
					Problem: fmt.Sprintf("%s (ordinal %d) began terminating while the held %s, which the scale-down to %d keeps, was not Running and Ready (window: the scale-down to its release after #%d)",
						e.Pod, e.Ordinal, held, to, release),
					Evidence: stateOf(r, span(0, from)),
				})
			}
		}
		r.apply(e)
	}
	return vs.err()
}

// anchored checks an anchor an input names (the Seq a note of the spec
// follows): given, and inside the recording.
func anchored(tl timeline.Timeline, rule Rule, what string, seq int, otherwise string) (int, error) {
	switch {
	case seq <= 0:
		return 0, lacks(tl, rule, what, "the input names none (the seq its note follows), "+otherwise)
	case seq > tl.LastSeq():
		return 0, lacks(tl, rule, what, fmt.Sprintf("the input names it after #%d, but the timeline ends at #%d", seq, tl.LastSeq()))
	}
	return seq, nil
}

// keptOrdinal is the ordinal of pod, refusing (as caller fn) a pod that is
// not one the scale-down from `from` to `to` keeps.
func keptOrdinal(fn string, tl timeline.Timeline, pod string, from, to int) (int, error) {
	h := timeline.ParseOrdinal(tl.StatefulSet, pod)
	if h < 0 || to <= h || from <= to {
		return h, fmt.Errorf("%s: %s must be a pod of %s that a scale-down from %d to %d keeps", fn, pod, tl.StatefulSet, from, to)
	}
	return h, nil
}

// replayBaseline replays the timeline's leading baseline events (what
// Timeline.Since keeps of the pods alive at the cut) and returns the state
// the window opens on, with the events of the window.
func replayBaseline(tl timeline.Timeline) (*replay, []timeline.Event) {
	r := newReplay(tl.StatefulSet)
	for i, e := range tl.Events {
		if !e.Baseline {
			return r, tl.Events[i:]
		}
		r.apply(e)
	}
	return r, nil
}

// heldAtOpen refuses a window that opens with the held pod gone or Ready.
func heldAtOpen(tl timeline.Timeline, r *replay, rule Rule, h int, held string) error {
	p := r.live[h]
	switch {
	case p == nil:
		return lacks(tl, rule, "a hold of "+held,
			fmt.Sprintf("%s had no live pod when the scale-down began (%s)", held, r.describe(h)))
	case p.ready:
		return lacks(tl, rule, "a hold of "+held,
			fmt.Sprintf("%s was Ready when the scale-down began (%s): hold it unready first", held, p))
	}
	return nil
}
