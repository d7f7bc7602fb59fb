package guarantee

import (
	"errors"
	"fmt"

	"github.com/stsconform/stsconform/framework/timeline"
)

// PartitionRule is the documented guarantee of a partitioned update.
var PartitionRule = Rule{
	Name: "partitioned update",
	Doc: "\"All Pods with an ordinal that is less than the partition will not be updated, and, " +
		"even if they are deleted, they will be recreated at the previous version\"",
}

var partitionHeld = &Checker{
	Name: "partition-held", Rule: PartitionRule,
	Judges: "one window of a partitioned update: no pod below the partition left the old revision",
	input:  func() Check { return new(PartitionHeldInput) },
}

// PartitionHeldInput is one window of a partitioned update for the
// partition-held checker: the partition it held, and the anchors (the Seq
// each note of the spec follows, Recorder.Mark) that bound it. The window
// is bounded by what the spec noted, never by snapshots: events that arrive
// between a snapshot and the next mark belong to the window too. A phased
// roll-out (the partition lowered step by step) is one window per step.
type PartitionHeldInput struct {
	Replicas    int    `json:"replicas"`
	Partition   int    `json:"partition"`
	OldRevision string `json:"oldRevision"`
	// Open is the anchor of the note recorded right before the change
	// that set Partition in force over a template that differs from
	// OldRevision's: the template change, or a lowering of the partition
	// after it.
	Open int `json:"open"`
	// Close is the anchor of the note recorded right before the partition
	// was lowered again; the window closes there. 0: the end of the
	// recording.
	Close int `json:"close,omitempty"`
	// Observed is required when Partition equals Replicas (a canary
	// partition that holds back every pod): the anchor of the note
	// recorded once the controller had observed the update (its
	// observedGeneration, and an updateRevision other than OldRevision).
	// With no pod to update, it is the evidence that an update was pending
	// in the window. It must lie inside the window.
	Observed int `json:"observed,omitempty"`
}

func (PartitionHeldInput) Checker() *Checker { return partitionHeld }

func (in PartitionHeldInput) String() string {
	end := "the end of the recording"
	if in.Close > 0 {
		end = fmt.Sprintf("#%d", in.Close)
	}
	return fmt.Sprintf("partition %d of %d replicas held ordinals below it on %s, after #%d through %s", in.Partition, in.Replicas, in.OldRevision, in.Open, end)
}

// Judge checks that during the window no pod with an ordinal below
// Partition was live on, created on or observed with a revision other than
// OldRevision. Deleting such a pod is allowed; its replacement must be on
// OldRevision.
//
// The evidence must hold the anchors inside the recording, events of every
// ordinal below Replicas, and the update itself: a pod at or above
// Partition created on another revision inside the window (or, for a canary
// partition equal to Replicas, the Observed anchor). Otherwise an
// *EvidenceError says what is missing: a window in which nothing was
// updated proves nothing about the pods that were not.
func (in PartitionHeldInput) Judge(tl timeline.Timeline) error {
	if err := in.validate(); err != nil {
		return err
	}
	open, err := anchored(tl, PartitionRule, "the start of the window", in.Open, "so the window has no start")
	if err != nil {
		return err
	}
	closing := tl.LastSeq()
	if in.Close != 0 {
		if closing, err = anchored(tl, PartitionRule, "the lowering of the partition", in.Close, "so the window has no end"); err != nil {
			return err
		}
		if closing < open {
			return fmt.Errorf("partition-held: the partition was lowered (after #%d) before the window opened (after #%d)", closing, open)
		}
	}
	canary := in.Partition == in.Replicas
	if canary {
		if seq := in.Observed; seq < open || seq > closing {
			return lacks(tl, PartitionRule, "the controller's view of the update",
				fmt.Sprintf("no note of the controller's observation inside the window after #%d through #%d (observed: after #%d): partition %d holds back every pod, so only the controller's observation shows an update pending", open, closing, seq, in.Partition))
		}
	}
	if err := requireEvents(tl, PartitionRule, span(0, in.Replicas)); err != nil {
		return err
	}
	window := fmt.Sprintf("window after #%d through #%d", open, closing)
	r := newReplay(tl.StatefulSet)
	var vs Violations
	reported := map[string]bool{} // by UID: one violation per pod, not per event
	updated := false
	opened := false
	for _, e := range tl.Events {
		if e.Seq > closing {
			break
		}
		if e.Seq > open && !opened {
			opened = true
			vs = append(vs, in.offRevisionAtOpen(tl, r, open, reported)...)
		}
		if e.Seq > open && e.Ordinal >= 0 && e.Ordinal < in.Replicas {
			switch {
			case e.Ordinal >= in.Partition:
				updated = updated || (e.Kind == timeline.Created && e.Revision != in.OldRevision)
			case e.Revision != "" && e.Revision != in.OldRevision && !reported[e.UID]:
				reported[e.UID] = true
				how := "was observed on"
				if e.Kind == timeline.Created {
					how = "was created on"
				}
				vs = append(vs, Violation{
					Rule:  PartitionRule,
					Event: at(e),
					Problem: fmt.Sprintf("%s (ordinal %d, below partition %d) %s revision %q, not the old revision %s (%s)",
						e.Pod, e.Ordinal, in.Partition, how, e.Revision, in.OldRevision, window),
					Evidence: []string{r.describe(e.Ordinal)},
				})
			}
		}
		r.apply(e)
	}
	if !opened {
		vs = append(vs, in.offRevisionAtOpen(tl, r, open, reported)...)
	}
	if len(vs) > 0 {
		return vs
	}
	if !updated && !canary {
		return lacks(tl, PartitionRule, "the update",
			fmt.Sprintf("no pod from ordinal %d to %d was created on a revision other than %s in the %s, so nothing shows the update under way",
				in.Partition, in.Replicas-1, in.OldRevision, window))
	}
	return nil
}

// offRevisionAtOpen reports pods below the partition that were already off
// the old revision when the window opened.
func (in PartitionHeldInput) offRevisionAtOpen(tl timeline.Timeline, r *replay, open int, reported map[string]bool) Violations {
	var vs Violations
	for n := range in.Partition {
		p := r.live[n]
		if p == nil || p.revision == "" || p.revision == in.OldRevision || reported[p.uid] {
			continue
		}
		reported[p.uid] = true
		vs = append(vs, Violation{
			Rule: PartitionRule,
			Problem: fmt.Sprintf("%s-%d (ordinal %d, below partition %d) was on revision %q, not the old revision %s, when the window opened (after #%d)",
				tl.StatefulSet, n, n, in.Partition, p.revision, in.OldRevision, open),
			Evidence: []string{r.describe(n)},
		})
	}
	return vs
}

func (in PartitionHeldInput) validate() error {
	var errs []error
	if in.Partition < 1 || in.Partition > in.Replicas {
		errs = append(errs, fmt.Errorf("partition %d must be between 1 and replicas %d, or no pod is held back", in.Partition, in.Replicas))
	}
	if in.OldRevision == "" {
		errs = append(errs, errors.New("old revision is required"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("partition-held: %w", err)
	}
	return nil
}
