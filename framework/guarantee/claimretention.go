package guarantee

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stsconform/stsconform/framework/timeline"
)

// ClaimRetentionRule is what persistentVolumeClaimRetentionPolicy and the
// owners of a claim promise about its deletion.
var ClaimRetentionRule = Rule{
	Name: "claim retention",
	Doc: `"With the whenDeleted policy all PVCs from the volumeClaimTemplate are deleted after their Pods have been deleted. ` +
		`With the whenScaled policy, only PVCs corresponding to Pod replicas being scaled down are deleted, after their Pods have been deleted." ` +
		`"Retain (default): PVCs from the volumeClaimTemplate are not affected when their Pod is deleted." (StatefulSet, PersistentVolumeClaim retention); ` +
		`ownerReferences: "If ALL objects in the list have been deleted, this object will be garbage collected. ... There cannot be more than one managing controller." (ObjectMeta)`,
}

var claimRetention = &Checker{
	Name: "claim-retention", Rule: ClaimRetentionRule,
	Judges: "claims deleted exactly as the retention policy and their owners say, each after its pod was gone; no owner the set or the spec did not give",
	input:  func() Check { return new(ClaimRetentionInput) },
}

// Retention policies, as persistentVolumeClaimRetentionPolicy spells them.
const (
	Retain = "Retain"
	Delete = "Delete"
)

// ClaimRetentionInput is one window of a StatefulSet's claims: a
// scale-down to Replicas, or (SetDeleted) the deletion of the set.
type ClaimRetentionInput struct {
	// Template is the volumeClaimTemplate: the set's claims are
	// <template>-<set>-<ordinal>.
	Template    string `json:"template"`
	WhenDeleted string `json:"whenDeleted"`
	WhenScaled  string `json:"whenScaled"`
	// Replicas is what the window scales to; ignored when SetDeleted.
	Replicas   int  `json:"replicas"`
	SetDeleted bool `json:"setDeleted,omitempty"`
	// Foreign are the claims the spec gave an owner of its own (another
	// controller, another owner): they must outlive the window, and only
	// they may have owners other than the set and their pod.
	Foreign []string `json:"foreign,omitempty"`
}

func (ClaimRetentionInput) Checker() *Checker { return claimRetention }

func (in ClaimRetentionInput) String() string {
	action := fmt.Sprintf("scale to %d", in.Replicas)
	if in.SetDeleted {
		action = "deletion of the set"
	}
	s := fmt.Sprintf("claims of template %s on %s (whenDeleted %s, whenScaled %s)", in.Template, action, or(in.WhenDeleted, Retain), or(in.WhenScaled, Retain))
	if len(in.Foreign) > 0 {
		s += ", owned elsewhere: " + strings.Join(in.Foreign, ", ")
	}
	return s
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// claimOf is one claim of the set as the window shows it.
type claimOf struct {
	name    string
	ordinal int
	live    bool // at the window's start or created in it, not yet gone
	deleted *timeline.Event
	gone    *timeline.Event // ClaimDeleted
	// podLiveAtGone is the ordinal's pod still there when the claim went.
	podLiveAtGone string
}

// Judge replays the window: pods and claims in Seq order. A claim the
// policy deletes in this window (whenScaled Delete and an ordinal at or
// above Replicas whose pod the window removed, or whenDeleted Delete and
// the set deleted) must be gone by its end, and only once its pod was
// gone; every other claim, and every Foreign one, must not be deleted.
// Every owner of a claim must be the set or the claim's pod, unless the
// spec gave it (Foreign), and no claim may have two controllers.
//
// The window must hold the set's claims, the Foreign ones among them,
// and, for a claim whose deletion is due, its pod's deletion: otherwise
// an *EvidenceError says what is missing.
func (in ClaimRetentionInput) Judge(tl timeline.Timeline) error {
	if in.Template == "" {
		return fmt.Errorf("claim-retention needs the volumeClaimTemplate's name (template)")
	}
	prefix := in.Template + "-" + tl.StatefulSet + "-"
	r := newReplay(tl.StatefulSet)
	claims := map[string]*claimOf{}
	var order []string
	podSeen := map[int]bool{}
	var vs Violations
	reported := map[string]bool{}
	for _, e := range tl.Events {
		if !timeline.IsClaimEvent(e.Kind) {
			if e.Ordinal >= 0 {
				podSeen[e.Ordinal] = true
			}
			r.apply(e)
			continue
		}
		n := timeline.ParseOrdinal(in.Template+"-"+tl.StatefulSet, e.Claim)
		if !strings.HasPrefix(e.Claim, prefix) || n < 0 {
			continue
		}
		c := claims[e.Claim]
		if c == nil {
			c = &claimOf{name: e.Claim, ordinal: n}
			claims[e.Claim] = c
			order = append(order, e.Claim)
		}
		switch e.Kind {
		case timeline.ClaimCreated, timeline.ClaimOwnersChanged:
			c.live = true
			// Baseline owners are state from before the window, not
			// something it saw happen.
			if !e.Baseline {
				vs = append(vs, in.owners(tl.StatefulSet, c, e, r, reported)...)
			}
		case timeline.ClaimTerminating:
			if !e.Baseline && c.deleted == nil {
				c.deleted = at(e)
			}
		case timeline.ClaimDeleted:
			if e.Baseline {
				continue
			}
			if c.deleted == nil {
				c.deleted = at(e)
			}
			c.gone, c.live = at(e), false
			// A pod in a terminal phase has stopped and unmounted its
			// volumes (pvc-protection lets its claim go then), though
			// its object may not be removed yet: seen on v1.37.2 when
			// the set is deleted.
			if p := r.live[n]; p != nil && p.phase != "Failed" && p.phase != "Succeeded" {
				c.podLiveAtGone = p.String()
			}
		}
	}
	if len(order) == 0 {
		return lacks(tl, ClaimRetentionRule, "claims "+prefix+"N", "the timeline holds no claim event of them (were claims recorded, WatchClaims?); "+holds(tl))
	}
	for _, f := range in.Foreign {
		if claims[f] == nil {
			return lacks(tl, ClaimRetentionRule, "claim "+f+", which the spec owns elsewhere", fmt.Sprintf("the timeline holds claims %s", strings.Join(order, ", ")))
		}
	}
	slices.SortFunc(order, func(a, b string) int { return claims[a].ordinal - claims[b].ordinal })
	for _, name := range order {
		c := claims[name]
		pod := fmt.Sprintf("%s-%d", tl.StatefulSet, c.ordinal)
		due, why := in.due(c, podSeen[c.ordinal])
		podGone := r.live[c.ordinal] == nil
		switch {
		case !due && c.deleted != nil:
			vs = append(vs, Violation{Rule: ClaimRetentionRule, Event: c.deleted, Evidence: stateOf(r, []int{c.ordinal}),
				Problem: fmt.Sprintf("claim %s was deleted, but %s", name, why)})
		case due && c.gone != nil && c.podLiveAtGone != "":
			vs = append(vs, Violation{Rule: ClaimRetentionRule, Event: c.gone, Evidence: []string{c.podLiveAtGone},
				Problem: fmt.Sprintf("claim %s was gone while its pod %s was still there: the policy deletes a claim only after its pod", name, pod)})
		case due && c.gone == nil && !podGone:
			return lacks(tl, ClaimRetentionRule, "the deletion of "+pod,
				fmt.Sprintf("the window ends with %s still there, before the deletion of its claim %s was due (%s)", pod, name, why))
		case due && c.gone == nil:
			vs = append(vs, Violation{Rule: ClaimRetentionRule, Event: c.deleted, Evidence: stateOf(r, []int{c.ordinal}),
				Problem: fmt.Sprintf("claim %s is still there after its pod %s was deleted, although %s", name, pod, why)})
		case !due && in.removes(c.ordinal) && podSeen[c.ordinal] && !podGone:
			// A kept claim proves nothing while its pod is still there.
			return lacks(tl, ClaimRetentionRule, "the deletion of "+pod,
				fmt.Sprintf("the window ends with %s still there, so that its claim %s outlived it is not shown", pod, name))
		}
	}
	return vs.err()
}

// removes says whether the window's action removes the ordinal's pod.
func (in ClaimRetentionInput) removes(n int) bool {
	return in.SetDeleted || n >= in.Replicas
}

// due says whether the policy deletes the claim in this window, and why
// (or why not), for the messages.
func (in ClaimRetentionInput) due(c *claimOf, podSeen bool) (bool, string) {
	switch {
	case slices.Contains(in.Foreign, c.name):
		return false, "another owner holds it (the spec gave it one)"
	case in.SetDeleted && or(in.WhenDeleted, Retain) == Delete:
		return true, "whenDeleted is Delete and the set was deleted"
	case in.SetDeleted:
		return false, "whenDeleted is " + or(in.WhenDeleted, Retain)
	case c.ordinal < in.Replicas:
		return false, fmt.Sprintf("ordinal %d is below the %d replicas the set keeps", c.ordinal, in.Replicas)
	case or(in.WhenScaled, Retain) != Delete:
		return false, "whenScaled is " + or(in.WhenScaled, Retain)
	case !podSeen:
		return false, fmt.Sprintf("the window shows no pod of ordinal %d that the scale-down removed", c.ordinal)
	}
	return true, fmt.Sprintf("whenScaled is Delete and the scale to %d removed ordinal %d", in.Replicas, c.ordinal)
}

// owners judges the owners an event shows: each is the set or the claim's
// pod, or the claim is one the spec owns elsewhere; never two
// controllers. Each problem is reported once per claim.
func (in ClaimRetentionInput) owners(set string, c *claimOf, e timeline.Event, r *replay, reported map[string]bool) Violations {
	var vs Violations
	report := func(key, problem string) {
		if !reported[key] {
			reported[key] = true
			vs = append(vs, Violation{Rule: ClaimRetentionRule, Event: at(e), Evidence: stateOf(r, []int{c.ordinal}), Problem: problem})
		}
	}
	pod := fmt.Sprintf("%s-%d", set, c.ordinal)
	controllers := 0
	for _, o := range e.Owners {
		if o.Controller {
			controllers++
		}
		ours := (o.Kind == "StatefulSet" && o.Name == set) || (o.Kind == "Pod" && o.Name == pod)
		if !ours && !slices.Contains(in.Foreign, c.name) {
			report(c.name+" owner "+o.UID, fmt.Sprintf("claim %s has owner %s, which neither StatefulSet %s nor the spec gave it: the garbage collector keeps the claim while that owner exists", c.name, o, set))
		}
	}
	if controllers > 1 {
		report(c.name+" controllers", fmt.Sprintf("claim %s has %d controllers (%s): there cannot be more than one managing controller", c.name, controllers, ownerList(e.Owners)))
	}
	return vs
}

func ownerList(owners []timeline.Owner) string {
	parts := make([]string, len(owners))
	for i, o := range owners {
		parts[i] = o.String()
	}
	return strings.Join(parts, ", ")
}
