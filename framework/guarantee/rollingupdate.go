package guarantee

import (
	"errors"
	"fmt"

	"github.com/stsconform/stsconform/framework/timeline"
)

// RollingUpdateRule is the documented guarantee of the RollingUpdate strategy.
var RollingUpdateRule = Rule{
	Name: "rolling update",
	Doc: "\"proceed in the same order as Pod termination (from the largest ordinal to the smallest), " +
		"updating each Pod one at a time\"; \"waits until an updated Pod is Running and Ready prior to updating its predecessor\"; " +
		"ordinals below the partition are not updated",
}

var rollingUpdate = &Checker{
	Name: "rolling-update", Rule: RollingUpdateRule,
	Judges: "an OrderedReady rolling update: highest ordinal first, one pod at a time, each after its successor was Ready on the new revision",
	input:  func() Check { return new(RollingUpdateInput) },
}

// RollingUpdateInput is the update the rolling-update checker judges.
type RollingUpdateInput struct {
	Replicas  int `json:"replicas"`
	Partition int `json:"partition,omitempty"`
	// OldRevision is the revision pods below the partition must keep; empty
	// skips that check (e.g. when several old revisions coexist).
	OldRevision string `json:"oldRevision,omitempty"`
	NewRevision string `json:"newRevision"`
}

func (RollingUpdateInput) Checker() *Checker { return rollingUpdate }

func (in RollingUpdateInput) String() string {
	return fmt.Sprintf("update of %d replicas from partition %d to revision %s", in.Replicas, in.Partition, in.NewRevision)
}

// Judge checks an OrderedReady RollingUpdate: for ordinals >=
// Partition, each pod not on NewRevision began terminating only when every
// higher ordinal below Replicas had a live pod on NewRevision that was
// Running and Ready and not terminating, which forces descending order and
// one pod at a time; at the end every such ordinal runs NewRevision, Running
// and Ready. Ordinals below Partition never began terminating and never
// showed NewRevision.
//
// The timeline must hold events of every ordinal below Replicas and, unless
// it shows a violation, the creation of at least one pod on NewRevision at
// or above Partition; otherwise an *EvidenceError says what is missing.
//
// Pass a timeline that starts before the update (baseline events are fine);
// if an earlier phase (a previous partition step) terminated pods, cut it off
// with Timeline.Since. Take the timeline after Recorder.WaitFor(RolledOut(in)),
// not merely after the StatefulSet status says the rollout is done.
func (in RollingUpdateInput) Judge(tl timeline.Timeline) error {
	if err := in.validate(); err != nil {
		return err
	}
	if err := requireEvents(tl, RollingUpdateRule, span(0, in.Replicas)); err != nil {
		return err
	}
	r := newReplay(tl.StatefulSet)
	var vs Violations
	reportedNew := map[string]bool{} // by UID: one violation per pod, not per event
	replaced := false                // an update was seen, not only its result
	for _, e := range tl.Events {
		if e.Baseline || e.Ordinal < 0 || e.Ordinal >= in.Replicas {
			r.apply(e)
			continue
		}
		n := e.Ordinal
		if e.Kind == timeline.Created && n >= in.Partition && e.Revision == in.NewRevision {
			replaced = true
		}
		starts := r.startsTermination(e)
		switch {
		case n < in.Partition:
			if starts {
				vs = append(vs, Violation{
					Rule:     RollingUpdateRule,
					Event:    at(e),
					Problem:  fmt.Sprintf("%s (ordinal %d) is below partition %d but began terminating", e.Pod, n, in.Partition),
					Evidence: []string{r.describe(n)},
				})
			}
			if e.Revision == in.NewRevision && !reportedNew[e.UID] {
				reportedNew[e.UID] = true
				vs = append(vs, Violation{
					Rule:     RollingUpdateRule,
					Event:    at(e),
					Problem:  fmt.Sprintf("%s (ordinal %d) is below partition %d but has the new revision %s", e.Pod, n, in.Partition, in.NewRevision),
					Evidence: []string{r.describe(n)},
				})
			}
		case starts && e.Revision != in.NewRevision:
			var pending, successors []int
			for j := n + 1; j < in.Replicas; j++ {
				successors = append(successors, j)
				if p := r.live[j]; p == nil || p.revision != in.NewRevision || !p.runningAndReady() || p.terminating {
					pending = append(pending, j)
				}
			}
			if len(pending) > 0 {
				vs = append(vs, Violation{
					Rule:  RollingUpdateRule,
					Event: at(e),
					Problem: fmt.Sprintf("%s (ordinal %d, revision %s) began terminating while successor(s) %s were not yet on revision %s and Running and Ready (updates go from ordinal %d down to %d, one pod at a time)",
						e.Pod, n, e.Revision, names(tl.StatefulSet, pending), in.NewRevision, in.Replicas-1, in.Partition),
					Evidence: stateOf(r, successors),
				})
			}
		}
		r.apply(e)
	}
	for n := range in.Replicas {
		p := r.live[n]
		name := fmt.Sprintf("%s-%d", tl.StatefulSet, n)
		switch {
		case n >= in.Partition && (p == nil || p.revision != in.NewRevision || !p.runningAndReady()):
			vs = append(vs, Violation{
				Rule:     RollingUpdateRule,
				Problem:  fmt.Sprintf("at the end of the timeline (#%d) %s (ordinal %d) is not on revision %s and Running and Ready", tl.LastSeq(), name, n, in.NewRevision),
				Evidence: []string{r.describe(n)},
			})
		case n < in.Partition && p != nil && in.OldRevision != "" && p.revision != in.OldRevision:
			vs = append(vs, Violation{
				Rule:     RollingUpdateRule,
				Problem:  fmt.Sprintf("at the end of the timeline (#%d) %s (ordinal %d, below partition %d) is on revision %s, not the old revision %s", tl.LastSeq(), name, n, in.Partition, p.revision, in.OldRevision),
				Evidence: []string{r.describe(n)},
			})
		}
	}
	if len(vs) == 0 && !replaced {
		return lacks(tl, RollingUpdateRule,
			fmt.Sprintf("the update: no pod from ordinal %d to %d was seen being created on revision %s", in.Partition, in.Replicas-1, in.NewRevision),
			"they were already on it when the window opened, so nothing was judged; open the window before the update")
	}
	return vs.err()
}

func (in RollingUpdateInput) validate() error {
	var errs []error
	if in.Replicas <= 0 {
		errs = append(errs, fmt.Errorf("replicas %d must be positive", in.Replicas))
	}
	if in.Partition < 0 {
		errs = append(errs, fmt.Errorf("partition %d must not be negative", in.Partition))
	}
	if in.NewRevision == "" {
		errs = append(errs, errors.New("new revision is required"))
	}
	if in.NewRevision == in.OldRevision {
		errs = append(errs, fmt.Errorf("old and new revision are both %q", in.NewRevision))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("rolling-update: %w", err)
	}
	return nil
}

// RolledOut is a condition for timeline.Recorder.WaitFor: every ordinal from
// Partition to Replicas-1 has a live pod on NewRevision that is Running and
// Ready. Wait on it before judging the update: the StatefulSet's status
// can report the rollout done before the recorder's watch has delivered the
// last Ready event, and the checker would then see an unfinished update.
func RolledOut(in RollingUpdateInput) func(timeline.Timeline) bool {
	return func(tl timeline.Timeline) bool {
		r := newReplay(tl.StatefulSet)
		for _, e := range tl.Events {
			r.apply(e)
		}
		for n := in.Partition; n < in.Replicas; n++ {
			p := r.live[n]
			if p == nil || p.revision != in.NewRevision || !p.runningAndReady() || p.terminating {
				return false
			}
		}
		return true
	}
}
