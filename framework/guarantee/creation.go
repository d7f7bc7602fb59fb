package guarantee

import (
	"fmt"

	"github.com/stsconform/stsconform/framework/timeline"
)

// OrderedCreationRule is the documented guarantee of OrderedReady creation.
var OrderedCreationRule = Rule{
	Name: "ordered creation",
	Doc: "\"created sequentially, in order from {0..N-1}\"; " +
		"\"before a scaling operation is applied to a Pod, all of its predecessors must be Running and Ready\"",
}

var orderedCreation = &Checker{
	Name: "ordered-creation", Rule: OrderedCreationRule, Whole: true,
	Judges: "a creation or scale-up: each pod created only once its predecessors were Running and Ready",
	input:  func() Check { return new(OrderedCreationInput) },
}

// OrderedCreationInput is a creation or scale-up for the ordered-creation
// checker.
type OrderedCreationInput struct {
	// From is the replicas before the scale-up: 0 for a new StatefulSet.
	From int `json:"from"`
	// To is the replicas after it. 0 judges the pods the timeline shows
	// (up to its highest ordinal), for a recording whose scale-up is not
	// known, such as a downloaded artifact.
	To int `json:"to,omitempty"`
}

func (OrderedCreationInput) Checker() *Checker { return orderedCreation }

func (in OrderedCreationInput) String() string {
	if in.To == 0 {
		return fmt.Sprintf("creation from %d replicas to those the timeline shows (to inferred from the highest ordinal recorded)", in.From)
	}
	return fmt.Sprintf("creation from %d to %d replicas", in.From, in.To)
}

// Judge checks a creation or scale-up from From replicas to To: every
// observed creation of ordinal n, re-creations included, happened when each
// ordinal 0..n-1 had a live pod that was Running and Ready, as replayed
// from the events before it.
//
// The timeline must hold events of ordinals 0..To-1 and an observed (not
// baseline) creation of each of From..To-1; otherwise an *EvidenceError
// says what is missing, because an empty or truncated recording would
// otherwise pass.
//
// Under the Parallel pod management policy this is expected to fail; use
// Concurrency to describe that case instead.
func (in OrderedCreationInput) Judge(tl timeline.Timeline) error {
	from, to := in.From, in.To
	if to == 0 {
		if to = recordedOrdinals(tl); to == 0 {
			return lacks(tl, OrderedCreationRule, "pods of "+tl.StatefulSet,
				fmt.Sprintf("the timeline holds %d events, none of a pod named %s-<ordinal>", len(tl.Events), tl.StatefulSet))
		}
	}
	if from < 0 || to <= from {
		return fmt.Errorf("ordered-creation: from %d to %d replicas is not a creation or scale-up", from, to)
	}
	if err := requireEvents(tl, OrderedCreationRule, span(0, to)); err != nil {
		return err
	}
	if err := requireCreations(tl, OrderedCreationRule, span(from, to)); err != nil {
		return err
	}
	r := newReplay(tl.StatefulSet)
	var vs Violations
	for _, e := range tl.Events {
		if e.Kind == timeline.Created && !e.Baseline && e.Ordinal > 0 {
			if notReady := notRunningAndReady(r, span(0, e.Ordinal)); len(notReady) > 0 {
				vs = append(vs, Violation{
					Rule:  OrderedCreationRule,
					Event: at(e),
					Problem: fmt.Sprintf("%s (ordinal %d) was created while predecessor(s) %s were not Running and Ready",
						e.Pod, e.Ordinal, names(tl.StatefulSet, notReady)),
					Evidence: stateOf(r, span(0, e.Ordinal)),
				})
			}
		}
		r.apply(e)
	}
	return vs.err()
}

// notRunningAndReady lists the ordinals without a live pod that is Running
// and Ready.
func notRunningAndReady(r *replay, ordinals []int) []int {
	var out []int
	for _, m := range ordinals {
		if p := r.live[m]; p == nil || !p.runningAndReady() {
			out = append(out, m)
		}
	}
	return out
}

// recordedOrdinals is one past the highest ordinal a timeline shows pods
// of (0 for none): the range OrderedCreationInput without To judges.
func recordedOrdinals(tl timeline.Timeline) int {
	to := 0
	for _, e := range tl.Events {
		to = max(to, e.Ordinal+1)
	}
	return to
}
