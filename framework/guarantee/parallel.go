package guarantee

import (
	"fmt"

	"github.com/stsconform/stsconform/framework/timeline"
)

// ParallelRule is the documented guarantee of Parallel pod management.
var ParallelRule = Rule{
	Name: "parallel pod management",
	Doc: "\"launch or terminate all Pods in parallel, and to not wait for Pods to become Running and Ready " +
		"or completely terminated prior to launching or terminating another Pod\"",
}

var parallelTermination = &Checker{
	Name: "parallel-termination", Rule: ParallelRule,
	Judges: "a Parallel scale-down that did not wait for an unready pod it keeps",
	input:  func() Check { return new(ParallelTerminationInput) },
}

// ParallelTerminationInput is a Parallel scale-down for the
// parallel-termination checker.
type ParallelTerminationInput struct {
	// Pod is the pod held unready, one the scale-down keeps.
	Pod  string `json:"pod"`
	From int    `json:"from"`
	To   int    `json:"to"`
}

func (ParallelTerminationInput) Checker() *Checker { return parallelTermination }

func (in ParallelTerminationInput) String() string {
	return fmt.Sprintf("Parallel scale-down from %d to %d replicas with %s unready", in.From, in.To, in.Pod)
}

// Judge checks a scale-down under the Parallel policy from From replicas
// to To while the held Pod, one the scale-down keeps, was unready: every
// pod of ordinals To..From-1 ended Deleted and none below To began
// terminating. Pass a timeline cut with Timeline.Since right before the
// scale-down.
//
// Under OrderedReady the same scale-down halts until the held pod is Ready
// (see ScaleDownHaltInput), so the evidence must show the hold: the held
// pod live and not Ready when the window opens, and not Ready again before
// the last of the removed pods was Deleted (its release afterwards is no
// matter). Otherwise an *EvidenceError says what is missing.
func (in ParallelTerminationInput) Judge(tl timeline.Timeline) error {
	pod, from, to := in.Pod, in.From, in.To
	h, err := keptOrdinal("parallel-termination", tl, pod, from, to)
	if err != nil {
		return err
	}
	if err := requireEvents(tl, ParallelRule, span(0, from)); err != nil {
		return err
	}
	r, window := replayBaseline(tl)
	if len(window) == 0 {
		return lacks(tl, ParallelRule, "the scale-down", fmt.Sprintf("the timeline holds no event after its baseline (%d events)", len(tl.Events)))
	}
	if err := heldAtOpen(tl, r, ParallelRule, h, pod); err != nil {
		return err
	}
	removed := lastRemoval(tl, from, to)
	var vs Violations
	for _, e := range window {
		if e.Ordinal == h && e.Kind == timeline.Ready && e.Seq < removed {
			return lacks(tl, ParallelRule, "a hold of "+pod,
				fmt.Sprintf("%s became Ready during the scale-down (%s), so nothing shows the scale-down not waiting for it", pod, at(e)))
		}
		if e.Ordinal >= 0 && e.Ordinal < to && r.startsTermination(e) {
			vs = append(vs, keptTerminated(ParallelRule, r, e, to))
		}
		r.apply(e)
	}
	vs = append(vs, scaledDown(tl, r, ParallelRule, from, to)...)
	return vs.err()
}

// lastRemoval is the Seq of the last Deleted event of ordinals to..from-1
// (not baseline), or past the end of the timeline when one of them was
// never seen Deleted.
func lastRemoval(tl timeline.Timeline, from, to int) int {
	last := map[int]int{}
	for _, e := range tl.Events {
		if !e.Baseline && e.Kind == timeline.Deleted && e.Ordinal >= to && e.Ordinal < from {
			last[e.Ordinal] = e.Seq
		}
	}
	end := 0
	for n := to; n < from; n++ {
		seq, ok := last[n]
		if !ok {
			return tl.LastSeq() + 1
		}
		end = max(end, seq)
	}
	return end
}
