package timeline

import "slices"

// Timeline is a recorded sequence of pod lifecycle events of one
// StatefulSet, ordered by Seq, plus free-form observations.
type Timeline struct {
	StatefulSet string   `json:"statefulSet"`
	Namespace   string   `json:"namespace"`
	Events      []Event  `json:"events"`
	Notes       []string `json:"notes,omitempty"`
}

// Annotate records an observation alongside the events, e.g. what the test
// did and when, so an auditor can line actions up with events.
func (tl *Timeline) Annotate(note string) {
	tl.Notes = append(tl.Notes, note)
}

// LastSeq is the Seq of the newest event, or 0 for an empty timeline. Use it
// as a mark before an action and pass it to Since afterwards.
func (tl Timeline) LastSeq() int {
	if len(tl.Events) == 0 {
		return 0
	}
	return tl.Events[len(tl.Events)-1].Seq
}

// ForOrdinal keeps the events of every pod incarnation with ordinal n.
func (tl Timeline) ForOrdinal(n int) Timeline {
	return tl.filter(func(e Event) bool { return e.Ordinal == n })
}

// ForPod keeps the events of every incarnation of the named pod.
func (tl Timeline) ForPod(name string) Timeline {
	return tl.filter(func(e Event) bool { return e.Pod == name })
}

// Kinds keeps the events of the given kinds.
func (tl Timeline) Kinds(kinds ...EventKind) Timeline {
	return tl.filter(func(e Event) bool { return slices.Contains(kinds, e.Kind) })
}

// Since keeps the events after seq. Pods still live at seq keep their earlier
// events, marked Baseline, because checkers need to know what existed (and
// whether it was Ready, and on which revision) when the window opened; pods
// already Deleted by seq are dropped.
func (tl Timeline) Since(seq int) Timeline {
	gone := map[string]bool{}
	for _, e := range tl.Events {
		if e.Seq <= seq && e.Kind == Deleted {
			gone[e.UID] = true
		}
	}
	return tl.mapEvents(func(e Event) (Event, bool) {
		if e.Seq > seq {
			return e, true
		}
		if gone[e.UID] {
			return e, false
		}
		e.Baseline = true
		return e, true
	})
}

func (tl Timeline) filter(keep func(Event) bool) Timeline {
	return tl.mapEvents(func(e Event) (Event, bool) { return e, keep(e) })
}

func (tl Timeline) mapEvents(f func(Event) (Event, bool)) Timeline {
	out := Timeline{
		StatefulSet: tl.StatefulSet,
		Namespace:   tl.Namespace,
		Events:      []Event{},
		Notes:       slices.Clone(tl.Notes),
	}
	for _, e := range tl.Events {
		if e, ok := f(e); ok {
			out.Events = append(out.Events, e)
		}
	}
	return out
}
