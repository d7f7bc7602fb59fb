package guarantee

import (
	"errors"
	"fmt"

	"github.com/stsconform/stsconform/framework/timeline"
)

// OnDeleteRule is the documented OnDelete update strategy.
var OnDeleteRule = Rule{
	Name: "OnDelete update",
	Doc: "\"When a StatefulSet's .spec.updateStrategy.type is set to OnDelete, the StatefulSet controller will not automatically update the Pods in a StatefulSet. " +
		"Users must manually delete Pods to cause the controller to create new Pods that reflect modifications made to a StatefulSet's .spec.template.\"",
}

var onDeleteHeld = &Checker{
	Name: "on-delete", Rule: OnDeleteRule,
	Judges: "an OnDelete update: no pod replaced before the user deleted it, each deleted pod re-created on the new revision",
	input:  func() Check { return new(OnDeleteInput) },
}

// OnDeleteInput is an update under the OnDelete strategy for the on-delete
// checker. Cut the timeline with Since at the note before the template
// change; Deletes is the anchor of the note recorded right before the
// spec began deleting pods: until then nobody but the controller could
// have replaced one.
type OnDeleteInput struct {
	Replicas    int    `json:"replicas"`
	NewRevision string `json:"newRevision"`
	Deletes     int    `json:"deletes"`
}

func (OnDeleteInput) Checker() *Checker { return onDeleteHeld }

func (in OnDeleteInput) String() string {
	return fmt.Sprintf("OnDelete update of %d replicas to revision %s, the user deleting pods after #%d", in.Replicas, in.NewRevision, in.Deletes)
}

// Judge checks that up to the Deletes anchor no pod of the set began
// terminating or was created (the controller replaced nothing on its own
// after the template change), that every pod created after it was on
// NewRevision, and that at the end every ordinal below Replicas has a live
// pod on NewRevision, Running and Ready.
//
// The timeline must hold the anchor, events of every ordinal and, after
// the anchor, a pod created on NewRevision; otherwise an *EvidenceError
// says what is missing.
func (in OnDeleteInput) Judge(tl timeline.Timeline) error {
	if in.Replicas <= 0 || in.NewRevision == "" {
		return errors.New("on-delete: replicas must be positive and the new revision is required")
	}
	deletes, err := anchored(tl, OnDeleteRule, "the start of the deletions", in.Deletes, "so the hold has no end")
	if err != nil {
		return err
	}
	if err := requireEvents(tl, OnDeleteRule, span(0, in.Replicas)); err != nil {
		return err
	}
	r := newReplay(tl.StatefulSet)
	var vs Violations
	recreated := false
	for _, e := range tl.Events {
		if e.Baseline || e.Ordinal < 0 {
			r.apply(e)
			continue
		}
		switch {
		case e.Seq <= deletes && (r.startsTermination(e) || e.Kind == timeline.Created):
			what := "began terminating"
			if e.Kind == timeline.Created {
				what = "was created"
			}
			vs = append(vs, Violation{
				Rule:     OnDeleteRule,
				Event:    at(e),
				Problem:  fmt.Sprintf("%s (ordinal %d) %s before any pod was deleted (after #%d): under OnDelete the controller must not replace pods on its own", e.Pod, e.Ordinal, what, deletes),
				Evidence: []string{r.describe(e.Ordinal)},
			})
		case e.Kind == timeline.Created && e.Revision != in.NewRevision:
			vs = append(vs, Violation{
				Rule:     OnDeleteRule,
				Event:    at(e),
				Problem:  fmt.Sprintf("%s (ordinal %d) was re-created on revision %s, not the new revision %s", e.Pod, e.Ordinal, e.Revision, in.NewRevision),
				Evidence: []string{r.describe(e.Ordinal)},
			})
		case e.Kind == timeline.Created:
			recreated = true
		}
		r.apply(e)
	}
	if len(vs) == 0 && !recreated {
		return lacks(tl, OnDeleteRule, "a pod re-created on revision "+in.NewRevision,
			fmt.Sprintf("no pod was seen being created on it after #%d; "+holds(tl), deletes))
	}
	for n := range in.Replicas {
		if p := r.live[n]; p == nil || p.revision != in.NewRevision || !p.runningAndReady() || p.terminating {
			vs = append(vs, Violation{
				Rule:     OnDeleteRule,
				Problem:  fmt.Sprintf("at the end of the timeline (#%d) %s-%d (ordinal %d) is not on revision %s and Running and Ready", tl.LastSeq(), tl.StatefulSet, n, n, in.NewRevision),
				Evidence: []string{r.describe(n)},
			})
		}
	}
	return vs.err()
}
