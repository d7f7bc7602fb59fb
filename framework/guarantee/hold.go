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
