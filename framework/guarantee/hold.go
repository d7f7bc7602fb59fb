package guarantee

import (
	"fmt"

	"github.com/stsconform/stsconform/framework/timeline"
)

// ReleaseNote is the note a spec records (Recorder.Annotate) right before it
// releases a held pod; HeldBlocks ends its window there.
func ReleaseNote(held string) string { return held + " released" }

// HeldBlocks checks the pause/resume proof of ordered creation over the
// whole recording up to the release of the held pod (the note
// ReleaseNote(held)): no pod with the successor's ordinal or a higher one
// was created while the held pod was not Running and Ready. Unlike a watch
// that starts once the hold is seen, this also catches a successor created
// before the held pod ran at all.
//
// The evidence must show a hold: the release note, events of the held pod
// and its predecessors, the held pod Running before its release, and never
// Ready before it. Without those the window proves nothing and an
// *EvidenceError says which is missing.
func HeldBlocks(tl timeline.Timeline, held, successor string) error {
	h := timeline.ParseOrdinal(tl.StatefulSet, held)
	s := timeline.ParseOrdinal(tl.StatefulSet, successor)
	if h < 0 || s <= h {
		return fmt.Errorf("HeldBlocks: %s must be a successor of %s, both pods of %s", successor, held, tl.StatefulSet)
	}
	release, ok := tl.NoteSeq(ReleaseNote(held))
	if !ok {
		return lacks(tl, OrderedCreationRule, "the release of "+held,
			fmt.Sprintf("none of the timeline's %d notes is %q, so the hold has no end", len(tl.Notes), ReleaseNote(held)))
	}
	if err := requireEvents(tl, OrderedCreationRule, span(0, h+1)); err != nil {
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

// HaltObservedNote is the note a spec records once the StatefulSet
// controller has observed a scale-down that the held pod must halt (its
// observedGeneration reached the scale-down's generation). HeldHalts
// needs it before the release: without it the window may close before the
// controller acted at all.
func HaltObservedNote(held string) string {
	return "the controller observed the scale-down while " + held + " is held unready"
}

// HeldHalts checks the halt of an OrderedReady scale-down from `from` to
// `to` replicas behind the held pod, one the scale-down keeps (its ordinal
// is below `to`): from the start of the timeline to the release of the
// held pod (the note ReleaseNote(held)), no pod of the StatefulSet began
// terminating while the held pod was not Running and Ready. Pass a timeline
// cut with Timeline.Since right before the scale-down; what came before is
// its baseline.
//
// The evidence must show a hold the controller saw: the held pod live and
// not Ready when the window opens, never Ready before its release, and the
// note HaltObservedNote(held) before the release note. Without those the
// window proves nothing and an *EvidenceError says which is missing.
func HeldHalts(tl timeline.Timeline, held string, from, to int) error {
	h, err := keptOrdinal("HeldHalts", tl, held, from, to)
	if err != nil {
		return err
	}
	release, ok := tl.NoteSeq(ReleaseNote(held))
	if !ok {
		return lacks(tl, OrderedTerminationRule, "the release of "+held,
			fmt.Sprintf("none of the timeline's %d notes is %q, so the hold has no end", len(tl.Notes), ReleaseNote(held)))
	}
	if observed, ok := tl.NoteSeq(HaltObservedNote(held)); !ok || observed > release {
		return lacks(tl, OrderedTerminationRule, "the controller's view of the scale-down",
			fmt.Sprintf("no note %q before the release after #%d, so the window may have closed before the controller acted", HaltObservedNote(held), release))
	}
	if err := requireEvents(tl, OrderedTerminationRule, span(0, from)); err != nil {
		return err
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
