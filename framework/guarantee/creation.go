package guarantee

import (
	"fmt"

	"github.com/stsconform/stsconform/framework/timeline"
)

// OrderedCreationGuarantee quotes the documented guarantee.
const OrderedCreationGuarantee = "ordered creation (\"created sequentially, in order from {0..N-1}\"; " +
	"\"before a scaling operation is applied to a Pod, all of its predecessors must be Running and Ready\")"

// OrderedCreation checks that every observed creation of ordinal n,
// re-creations included, happened when each ordinal 0..n-1 had a live pod
// that was Running and Ready, as replayed from the events before it.
//
// Under the Parallel pod management policy this is expected to fail; use
// Concurrency to describe that case instead.
func OrderedCreation(tl timeline.Timeline) error {
	r := newReplay(tl.StatefulSet)
	var vs Violations
	for _, e := range tl.Events {
		if e.Kind == timeline.Created && !e.Baseline && e.Ordinal > 0 {
			var notReady, all []int
			for m := range e.Ordinal {
				all = append(all, m)
				if p := r.live[m]; p == nil || !p.runningAndReady() {
					notReady = append(notReady, m)
				}
			}
			if len(notReady) > 0 {
				vs = append(vs, Violation{
					Guarantee: OrderedCreationGuarantee,
					Event:     at(e),
					Problem: fmt.Sprintf("%s (ordinal %d) was created while predecessor(s) %s were not Running and Ready",
						e.Pod, e.Ordinal, names(tl.StatefulSet, notReady)),
					Evidence: stateOf(r, all),
				})
			}
		}
		r.apply(e)
	}
	return vs.err()
}
