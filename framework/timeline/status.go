package timeline

import (
	"fmt"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
)

// SetStatus is one observed state of the StatefulSet object itself: the
// status the controller wrote and the spec fields its counters depend on.
// Pod events cannot show what the controller claimed (availableReplicas,
// currentReplicas, the revisions), so checkers of those claims judge the
// statuses against the pod events around them.
//
// A status is placed among the pod events the way a note is: it arrived
// after event #After and before #After+1. The two watches are not ordered
// against each other by the API server, so a checker must allow a status
// to run ahead of (or behind) the pod events it counts.
type SetStatus struct {
	After           int       `json:"after"`
	ResourceVersion string    `json:"resourceVersion"`
	ObservedAt      time.Time `json:"observedAt"`
	// Generation is metadata.generation: a status whose
	// ObservedGeneration is lower describes an older spec.
	Generation         int64 `json:"generation"`
	ObservedGeneration int64 `json:"observedGeneration"`
	// SpecReplicas, MinReadySeconds and Partition are the spec's
	// (partition -1 when the strategy has none).
	SpecReplicas      int32  `json:"specReplicas"`
	MinReadySeconds   int32  `json:"minReadySeconds,omitempty"`
	Partition         int32  `json:"partition"`
	Replicas          int32  `json:"replicas"`
	ReadyReplicas     int32  `json:"readyReplicas"`
	AvailableReplicas int32  `json:"availableReplicas"`
	CurrentReplicas   int32  `json:"currentReplicas"`
	UpdatedReplicas   int32  `json:"updatedReplicas"`
	CurrentRevision   string `json:"currentRevision,omitempty"`
	UpdateRevision    string `json:"updateRevision,omitempty"`
	// Deleted marks the watch DELETED event of the set.
	Deleted bool `json:"deleted,omitempty"`
	// Baseline marks the state the window opened with (the recorder's
	// initial List, or the last status before a Since cut).
	Baseline bool `json:"baseline,omitempty"`
}

// statusOf reads what a SetStatus keeps from a StatefulSet; After,
// ObservedAt and Baseline are left for the caller.
func statusOf(set *appsv1.StatefulSet, deleted bool) SetStatus {
	s := SetStatus{
		ResourceVersion:    set.ResourceVersion,
		Generation:         set.Generation,
		ObservedGeneration: set.Status.ObservedGeneration,
		SpecReplicas:       1,
		MinReadySeconds:    set.Spec.MinReadySeconds,
		Partition:          -1,
		Replicas:           set.Status.Replicas,
		ReadyReplicas:      set.Status.ReadyReplicas,
		AvailableReplicas:  set.Status.AvailableReplicas,
		CurrentReplicas:    set.Status.CurrentReplicas,
		UpdatedReplicas:    set.Status.UpdatedReplicas,
		CurrentRevision:    set.Status.CurrentRevision,
		UpdateRevision:     set.Status.UpdateRevision,
		Deleted:            deleted,
	}
	if set.Spec.Replicas != nil {
		s.SpecReplicas = *set.Spec.Replicas
	}
	if ru := set.Spec.UpdateStrategy.RollingUpdate; ru != nil && ru.Partition != nil {
		s.Partition = *ru.Partition
	}
	return s
}

// sameState reports whether two statuses differ only in what every update
// changes (resourceVersion, arrival), so that an update of a label or an
// annotation is not recorded as a new status.
func (s SetStatus) sameState(o SetStatus) bool {
	s.After, s.ResourceVersion, s.ObservedAt, s.Baseline = 0, "", time.Time{}, false
	o.After, o.ResourceVersion, o.ObservedAt, o.Baseline = 0, "", time.Time{}, false
	return s == o
}

// Observed reports whether the status describes the set's current spec.
func (s SetStatus) Observed() bool { return s.ObservedGeneration >= s.Generation }

// String renders the status as one line of evidence.
func (s SetStatus) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "status after #%d rv=%s observed=%s generation=%d/%d replicas=%d/%d ready=%d available=%d current=%d updated=%d",
		s.After, s.ResourceVersion, stamp(s.ObservedAt), s.ObservedGeneration, s.Generation,
		s.Replicas, s.SpecReplicas, s.ReadyReplicas, s.AvailableReplicas, s.CurrentReplicas, s.UpdatedReplicas)
	if s.CurrentRevision != "" || s.UpdateRevision != "" {
		fmt.Fprintf(&b, " currentRevision=%s updateRevision=%s", s.CurrentRevision, s.UpdateRevision)
	}
	if s.MinReadySeconds != 0 {
		fmt.Fprintf(&b, " minReadySeconds=%d", s.MinReadySeconds)
	}
	if s.Partition >= 0 {
		fmt.Fprintf(&b, " partition=%d", s.Partition)
	}
	if s.Deleted {
		b.WriteString(" deleted")
	}
	if s.Baseline {
		b.WriteString(" (baseline)")
	}
	return b.String()
}

// statusesSince keeps the statuses that arrived after event #seq, led by
// the last one before them, marked Baseline: the state the window opened
// with, as Since keeps live pods.
func statusesSince(all []SetStatus, seq int) []SetStatus {
	var out []SetStatus
	var before *SetStatus
	for i := range all {
		if all[i].After < seq {
			before = &all[i]
			continue
		}
		out = append(out, all[i])
	}
	if before != nil && !before.Deleted {
		b := *before
		b.Baseline = true
		out = append([]SetStatus{b}, out...)
	}
	return out
}

// statusesThrough keeps the statuses that arrived by event #seq.
func statusesThrough(all []SetStatus, seq int) []SetStatus {
	var out []SetStatus
	for _, s := range all {
		if s.After <= seq {
			out = append(out, s)
		}
	}
	return out
}

// Observations are the statuses the window saw arrive, without the
// baseline.
func (tl Timeline) Observations() []SetStatus {
	var out []SetStatus
	for _, s := range tl.Statuses {
		if !s.Baseline {
			out = append(out, s)
		}
	}
	return out
}

// LastStatus is the newest status of the timeline, baseline included.
func (tl Timeline) LastStatus() (SetStatus, bool) {
	if len(tl.Statuses) == 0 {
		return SetStatus{}, false
	}
	return tl.Statuses[len(tl.Statuses)-1], true
}

// renderStatuses writes the statuses that arrived before event #seq and
// returns the rest.
func renderStatuses(b *strings.Builder, statuses []SetStatus, seq int) []SetStatus {
	for len(statuses) > 0 && statuses[0].After < seq {
		b.WriteString("  " + statuses[0].String() + "\n")
		statuses = statuses[1:]
	}
	return statuses
}

// StatusHas holds once a status that arrived after event #after (baseline
// excluded) satisfies cond: a wait on what the controller wrote, seen on
// the recording rather than polled.
func StatusHas(after int, cond func(SetStatus) bool) Condition {
	return func(tl Timeline) bool {
		for _, s := range tl.Since(after).Observations() {
			if cond(s) {
				return true
			}
		}
		return false
	}
}

// AvailableAll is a StatusHas condition: the set's current spec observed
// and all its replicas counted available.
func AvailableAll(s SetStatus) bool {
	return s.Observed() && !s.Deleted && s.AvailableReplicas == s.SpecReplicas && s.Replicas == s.SpecReplicas
}

// Counted is a StatusHas condition: the set's current spec observed,
// every replica created and Ready, and currentReplicas and
// updatedReplicas as given: a partitioned update settled at one step.
func Counted(current, updated int32) func(SetStatus) bool {
	return func(s SetStatus) bool {
		return s.Observed() && !s.Deleted && s.Replicas == s.SpecReplicas && s.ReadyReplicas == s.SpecReplicas &&
			s.CurrentReplicas == current && s.UpdatedReplicas == updated
	}
}
