package guarantee

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/stsconform/stsconform/framework/timeline"
)

// RecreateRule is the promise of KEP-3541 (gate StatefulSetRecreateStrategy,
// alpha in v1.37), as the apps/v1 API states it.
var RecreateRule = Rule{
	Name: "Recreate update",
	Doc: "\"RecreateStatefulSetStrategyType indicates that all existing pods will be deleted and fully terminated before any new-revision pods are created. " +
		"This ensures that old and new revision Pods never run at the same time.\" (apps/v1 StatefulSetUpdateStrategyType \"Recreate\"; KEP-3541: then created following podManagementPolicy, claims kept)",
}

var recreate = &Checker{
	Name: "recreate", Rule: RecreateRule,
	Judges: "a Recreate update: every old pod deleted from the API before any new pod was created, the new pods created on the new revision in the pod management policy's order, no claim deleted",
	input:  func() Check { return new(RecreateInput) },
}

// RecreateInput is an update under the Recreate strategy for the recreate
// checker. Cut the timeline with Since at the note before the template
// change: the pods live then are the old ones.
type RecreateInput struct {
	Replicas    int    `json:"replicas"`
	NewRevision string `json:"newRevision"`
	// OrderedReady: pod n is created only once new pods 0..n-1 are
	// Running and Ready. Parallel (false) judges no creation order.
	OrderedReady bool `json:"orderedReady,omitempty"`
	// ClaimTemplate, when set, names the volumeClaimTemplate whose claims
	// <template>-<pod> must be recorded and kept: none may begin
	// terminating, be deleted or be created again in the window.
	ClaimTemplate string `json:"claimTemplate,omitempty"`
}

func (RecreateInput) Checker() *Checker { return recreate }

func (in RecreateInput) String() string {
	policy := "Parallel"
	if in.OrderedReady {
		policy = "OrderedReady"
	}
	s := fmt.Sprintf("Recreate update of %d replicas to revision %s (%s)", in.Replicas, in.NewRevision, policy)
	if in.ClaimTemplate != "" {
		s += ", claims of " + in.ClaimTemplate + " kept"
	}
	return s
}

// Judge checks, in the order the recorder saw the pods' watch (one watch,
// so a pod's DELETED arrives before the ADDED of anything the controller
// created after it saw the deletion):
//   - no pod was created while a pod that was not on NewRevision was still
//     in the API (live or terminating), and none was created on another
//     revision;
//   - with OrderedReady, each pod was created only once every lower
//     ordinal had a live new pod Running and Ready;
//   - no claim of ClaimTemplate was deleted or created again;
//   - at the end every ordinal below Replicas has a live pod on
//     NewRevision, Running and Ready.
//
// The timeline must hold events of every ordinal, an old pod deleted and a
// pod created in the window (and the claims, when ClaimTemplate is set);
// otherwise an *EvidenceError says what is missing.
func (in RecreateInput) Judge(tl timeline.Timeline) error {
	if in.Replicas < 1 || in.NewRevision == "" {
		return errors.New("recreate: replicas must be at least 1 and the new revision is required")
	}
	if err := requireEvents(tl, RecreateRule, span(0, in.Replicas)); err != nil {
		return err
	}
	claims, err := in.recordedClaims(tl)
	if err != nil {
		return err
	}
	r := newReplay(tl.StatefulSet)
	var vs Violations
	deletedOld, created := false, false
	for _, e := range tl.Events {
		if e.Baseline {
			r.apply(e)
			continue
		}
		if e.Claim != "" {
			if v, ok := in.claimChange(e, claims); ok {
				vs = append(vs, v)
			}
			continue
		}
		if e.Ordinal < 0 {
			r.apply(e)
			continue
		}
		if e.Kind == timeline.Deleted {
			if p, ok := r.byUID[e.UID]; ok && p.revision != in.NewRevision {
				deletedOld = true
			}
		}
		if e.Kind == timeline.Created {
			created = true
			vs = append(vs, in.creation(tl, r, e)...)
		}
		r.apply(e)
	}
	if len(vs) == 0 && (!deletedOld || !created) {
		return lacks(tl, RecreateRule, "the update",
			fmt.Sprintf("an old pod deleted: %t, a pod created: %t in the window; "+holds(tl), deletedOld, created))
	}
	for n := range in.Replicas {
		if p := r.live[n]; p == nil || p.revision != in.NewRevision || !p.runningAndReady() || p.terminating {
			vs = append(vs, Violation{Rule: RecreateRule,
				Problem:  fmt.Sprintf("at the end of the timeline (#%d) %s-%d (ordinal %d) is not on revision %s and Running and Ready", tl.LastSeq(), tl.StatefulSet, n, n, in.NewRevision),
				Evidence: []string{r.describe(n)}})
		}
	}
	return vs.err()
}

// creation judges one Created event against the replayed state before it.
func (in RecreateInput) creation(tl timeline.Timeline, r *replay, e timeline.Event) Violations {
	var vs Violations
	if e.Revision != in.NewRevision {
		vs = append(vs, Violation{Rule: RecreateRule, Event: at(e),
			Problem:  fmt.Sprintf("%s was created on revision %q, not the new revision %s", e.Pod, e.Revision, in.NewRevision),
			Evidence: []string{r.describe(e.Ordinal)}})
	}
	var old []int
	for _, p := range r.byUID {
		if !p.deleted && p.ordinal >= 0 && p.revision != in.NewRevision {
			old = append(old, p.ordinal)
		}
	}
	if len(old) > 0 {
		slices.Sort(old)
		vs = append(vs, Violation{Rule: RecreateRule, Event: at(e),
			Problem:  fmt.Sprintf("%s was created while old pods were still in the API (%s): Recreate creates no pod before every old pod is gone", e.Pod, names(tl.StatefulSet, old)),
			Evidence: stateOf(r, old)})
	}
	if in.OrderedReady {
		var waiting []int
		for n := range e.Ordinal {
			if p := r.live[n]; p == nil || p.revision != in.NewRevision || !p.runningAndReady() || p.terminating {
				waiting = append(waiting, n)
			}
		}
		if len(waiting) > 0 {
			vs = append(vs, Violation{Rule: RecreateRule, Event: at(e),
				Problem:  fmt.Sprintf("%s was created before its predecessors %s were Running and Ready on the new revision (OrderedReady)", e.Pod, names(tl.StatefulSet, waiting)),
				Evidence: stateOf(r, waiting)})
		}
	}
	return vs
}

// recordedClaims are the claims of ClaimTemplate for ordinals
// 0..Replicas-1 the window starts with; every one must be recorded.
func (in RecreateInput) recordedClaims(tl timeline.Timeline) (map[string]bool, error) {
	if in.ClaimTemplate == "" {
		return nil, nil
	}
	want := map[string]bool{}
	for n := range in.Replicas {
		want[fmt.Sprintf("%s-%s-%d", in.ClaimTemplate, tl.StatefulSet, n)] = false
	}
	for _, e := range tl.Events {
		if _, ok := want[e.Claim]; ok && e.Baseline {
			want[e.Claim] = true
		}
	}
	var missing []string
	for name, seen := range want {
		if !seen {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return nil, lacks(tl, RecreateRule, "the claims "+strings.Join(missing, ", "),
			"they were not recorded when the window opened (Recorder.WatchClaims); "+holds(tl))
	}
	return want, nil
}

// claimChange reports a claim of the set's template that the window saw
// go or come again.
func (in RecreateInput) claimChange(e timeline.Event, claims map[string]bool) (Violation, bool) {
	if _, ok := claims[e.Claim]; !ok {
		return Violation{}, false
	}
	switch e.Kind {
	case timeline.ClaimTerminating, timeline.ClaimDeleted, timeline.ClaimCreated:
		return Violation{Rule: RecreateRule, Event: at(e),
			Problem:  fmt.Sprintf("claim %s: %s during the Recreate update; the pods' claims must be kept", e.Claim, e.Kind),
			Evidence: []string{e.String()}}, true
	}
	return Violation{}, false
}
