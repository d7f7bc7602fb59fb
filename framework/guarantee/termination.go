package guarantee

import (
	"fmt"
	"strings"

	"github.com/stsconform/stsconform/framework/timeline"
)

// OrderedTerminationRule is the documented guarantee of OrderedReady scale-down.
var OrderedTerminationRule = Rule{
	Name: "ordered termination",
	Doc: "\"terminated in reverse order, from {N-1..0}\"; " +
		"\"before a Pod is terminated, all of its successors must be completely shutdown\"; " +
		"\"before a scaling operation is applied to a Pod, all of its predecessors must be Running and Ready\"",
}

var orderedTermination = &Checker{
	Name: "ordered-termination", Rule: OrderedTerminationRule,
	Judges: "a scale-down: highest ordinal first, each after its successors were Deleted, none while a kept pod was unready",
	input:  func() Check { return new(OrderedTerminationInput) },
}

// OrderedTerminationInput is a scale-down for the ordered-termination
// checker.
type OrderedTerminationInput struct {
	From int `json:"from"`
	To   int `json:"to"`
}

func (OrderedTerminationInput) Checker() *Checker { return orderedTermination }

func (in OrderedTerminationInput) String() string {
	return fmt.Sprintf("scale-down from %d to %d replicas", in.From, in.To)
}

// Judge checks a scale-down from From replicas to To: ordinals To..From-1
// began terminating in descending order, none while a higher ordinal of
// that range still had a pod that was not Deleted, and none while a pod the
// scale-down keeps (ordinals below To) was not Running and Ready; all of
// them ended Deleted; and no pod below To began terminating.
//
// Of the predecessors, only those the scale-down keeps are judged: the
// documentation's own example ("web-1 would not be terminated until web-0
// is Running and Ready" when scaling web to 1) is about them, and the
// controller lets the lowest unhealthy pod of those it removes go first.
//
// The timeline must hold events of ordinals 0..From-1 (baseline is enough);
// otherwise an *EvidenceError says which are missing.
//
// Pass a timeline that starts before the scale-down; if earlier phases
// terminated pods on purpose (a rolling update), cut them off with
// Timeline.Since, which keeps the surviving pods as baseline.
func (in OrderedTerminationInput) Judge(tl timeline.Timeline) error {
	from, to := in.From, in.To
	if to < 0 || from <= to {
		return fmt.Errorf("ordered-termination: scale-down from %d to %d replicas is not a scale-down", from, to)
	}
	if err := requireEvents(tl, OrderedTerminationRule, span(0, from)); err != nil {
		return err
	}
	r := newReplay(tl.StatefulSet)
	var vs Violations
	var order []string
	for _, e := range tl.Events {
		if e.Baseline || e.Ordinal < 0 || e.Ordinal >= from {
			r.apply(e)
			continue
		}
		n := e.Ordinal
		if !r.startsTermination(e) {
			r.apply(e)
			continue
		}
		order = append(order, fmt.Sprintf("%s (#%d)", e.Pod, e.Seq))
		if n < to {
			vs = append(vs, keptTerminated(OrderedTerminationRule, r, e, to))
			r.apply(e)
			continue
		}
		if waiting := notRunningAndReady(r, span(0, to)); len(waiting) > 0 {
			vs = append(vs, Violation{
				Rule:  OrderedTerminationRule,
				Event: at(e),
				Problem: fmt.Sprintf("%s (ordinal %d) began terminating while %s, kept by the scale-down to %d, %s not Running and Ready (the scale-down must halt until %s)",
					e.Pod, n, names(tl.StatefulSet, waiting), to, plural(len(waiting), "was", "were"), plural(len(waiting), "it is", "they are")),
				Evidence: stateOf(r, waiting),
			})
		}
		var alive, successors []int
		for j := n + 1; j < from; j++ {
			successors = append(successors, j)
			if r.live[j] != nil {
				alive = append(alive, j)
			}
		}
		if len(alive) > 0 {
			vs = append(vs, Violation{
				Rule:  OrderedTerminationRule,
				Event: at(e),
				Problem: fmt.Sprintf("%s (ordinal %d) began terminating while successor(s) %s were not yet Deleted (termination must go from %d down to %d, one pod at a time)",
					e.Pod, n, names(tl.StatefulSet, alive), from-1, to),
				Evidence: append(stateOf(r, successors), "termination order so far: "+strings.Join(order, ", ")),
			})
		}
		r.apply(e)
	}
	vs = append(vs, scaledDown(tl, r, OrderedTerminationRule, from, to)...)
	return vs.err()
}

// keptTerminated is the violation of a pod the scale-down to `to` keeps
// (e's ordinal is below it) beginning to terminate.
func keptTerminated(rule Rule, r *replay, e timeline.Event, to int) Violation {
	return Violation{
		Rule:     rule,
		Event:    at(e),
		Problem:  fmt.Sprintf("%s (ordinal %d) began terminating, but the scale-down to %d replicas must keep ordinals below %d", e.Pod, e.Ordinal, to, to),
		Evidence: []string{r.describe(e.Ordinal)},
	}
}

// scaledDown judges the end of a scale-down from the replayed state: every
// pod of ordinals to..from-1 was seen Deleted (after the baseline) and none
// is live again.
func scaledDown(tl timeline.Timeline, r *replay, rule Rule, from, to int) Violations {
	var vs Violations
	for n := to; n < from; n++ {
		name := fmt.Sprintf("%s-%d", tl.StatefulSet, n)
		switch p := r.latest[n]; {
		case r.live[n] != nil:
			vs = append(vs, Violation{
				Rule:     rule,
				Problem:  fmt.Sprintf("%s (ordinal %d) was still present at the end of the timeline (#%d); the scale-down to %d replicas must delete it", name, n, tl.LastSeq(), to),
				Evidence: []string{r.describe(n)},
			})
		case p == nil || !p.deleted || p.last.Baseline:
			vs = append(vs, Violation{
				Rule:     rule,
				Problem:  fmt.Sprintf("no deletion of %s (ordinal %d) was observed; the scale-down from %d replicas should have deleted it", name, n, from),
				Evidence: []string{r.describe(n)},
			})
		}
	}
	return vs
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
