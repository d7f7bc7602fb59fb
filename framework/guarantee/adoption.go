package guarantee

import (
	"fmt"

	"github.com/stsconform/stsconform/framework/timeline"
)

// AdoptionRule is how a controller takes and lets go of pods by its
// selector. The ReplicaSet page documents it; the StatefulSet controller
// uses the same ControllerRef mechanism, and upstream's "should adopt
// matching orphans and release non-matching pods" holds it to it.
var AdoptionRule = Rule{
	Name: "adoption",
	Doc: `"If there is a Pod that has no OwnerReference or the OwnerReference is not a Controller and it matches a ReplicaSet's selector, it will be immediately acquired by said ReplicaSet." ` +
		`"You can remove Pods from a ReplicaSet by changing their labels." (ReplicaSet, How a ReplicaSet works; Isolating Pods from a ReplicaSet)`,
}

var adoption = &Checker{
	Name: "adoption", Rule: AdoptionRule,
	Judges: "an orphan that matches the selector adopted by the set, a pod that stops matching released, neither deleted",
	input:  func() Check { return new(AdoptionInput) },
}

// AdoptionInput names the pod the window judges and what must happen to
// it: adopted (Adopt) or released.
type AdoptionInput struct {
	Pod string `json:"pod"`
	// Adopt: the pod, without a controller in the window, must get the
	// set as its controller; otherwise the set must let it go.
	Adopt bool `json:"adopt,omitempty"`
	// SetUID is the set's UID, which the adopting ownerReference must
	// carry; empty: any StatefulSet of the set's name.
	SetUID string `json:"setUID,omitempty"`
}

func (AdoptionInput) Checker() *Checker { return adoption }

func (in AdoptionInput) String() string {
	if in.Adopt {
		return in.Pod + " adopted"
	}
	return in.Pod + " released"
}

// Judge follows the incarnation of Pod that the window starts with (or
// the first it shows). Adopt: once the window shows it without a
// controller, a later OwnersChanged must make the set its controller, and
// no other controller may take it. Release: starting owned by the set, a
// later OwnersChanged must drop the set. In both it must not be deleted:
// adoption and release change owners, not pods.
func (in AdoptionInput) Judge(tl timeline.Timeline) error {
	var uid string
	var owners []timeline.Owner
	var from, done *timeline.Event
	var vs Violations
	for _, e := range tl.Events {
		if e.Pod != in.Pod || timeline.IsClaimEvent(e.Kind) {
			continue
		}
		if uid == "" {
			uid = e.UID
		}
		if e.UID != uid {
			continue
		}
		if e.Kind == timeline.Created || e.Kind == timeline.OwnersChanged {
			owners = e.Owners
		}
		switch {
		case e.Kind == timeline.Terminating || e.Kind == timeline.Deleted:
			if !e.Baseline && done == nil {
				vs = append(vs, Violation{Rule: AdoptionRule, Event: at(e),
					Problem: fmt.Sprintf("%s uid=%s was deleted instead of being %s", in.Pod, uid, map[bool]string{true: "adopted", false: "released"}[in.Adopt])})
			}
		case in.Adopt:
			ctl, has := timeline.ControllerOf(owners)
			switch {
			case !has && from == nil:
				from = at(e)
			case has && from != nil && done == nil && !e.Baseline:
				if in.ours(tl.StatefulSet, ctl) {
					done = at(e)
				} else {
					vs = append(vs, Violation{Rule: AdoptionRule, Event: at(e),
						Problem: fmt.Sprintf("orphan %s was taken by %s, not by StatefulSet %s", in.Pod, ctl, tl.StatefulSet)})
					done = at(e)
				}
			}
		default:
			if from == nil && in.ownedBySet(tl.StatefulSet, owners) {
				from = at(e) // owned by the set: the pod it may release
			} else if from != nil && done == nil && !e.Baseline && !in.ownedBySet(tl.StatefulSet, owners) {
				done = at(e)
			}
		}
	}
	switch {
	case uid == "":
		return lacks(tl, AdoptionRule, "pod "+in.Pod, "the timeline holds 0 events for it; "+holds(tl))
	case from == nil && in.Adopt:
		return lacks(tl, AdoptionRule, in.Pod+" without a controller", fmt.Sprintf("the window never shows %s uid=%s as an orphan (owners %s)", in.Pod, uid, ownerList(owners)))
	case from == nil:
		return lacks(tl, AdoptionRule, in.Pod+" owned by StatefulSet "+tl.StatefulSet, fmt.Sprintf("the window never shows %s uid=%s as the set's (owners %s)", in.Pod, uid, ownerList(owners)))
	case done == nil && in.Adopt:
		vs = append(vs, Violation{Rule: AdoptionRule, Event: from,
			Problem: fmt.Sprintf("orphan %s uid=%s matches the selector of StatefulSet %s but was never adopted: its owners stayed %q", in.Pod, uid, tl.StatefulSet, ownerList(owners))})
	case done == nil:
		vs = append(vs, Violation{Rule: AdoptionRule, Event: from,
			Problem: fmt.Sprintf("%s uid=%s no longer matches the selector but StatefulSet %s never released it: its owners stayed %q", in.Pod, uid, tl.StatefulSet, ownerList(owners))})
	}
	return vs.err()
}

// ours says whether a controller reference names the set.
func (in AdoptionInput) ours(set string, o timeline.Owner) bool {
	return o.Kind == "StatefulSet" && o.Name == set && (in.SetUID == "" || o.UID == in.SetUID)
}

func (in AdoptionInput) ownedBySet(set string, owners []timeline.Owner) bool {
	for _, o := range owners {
		if in.ours(set, o) {
			return true
		}
	}
	return false
}
