package timeline

import "slices"

// SchemaVersion is the version of the timeline file this package writes.
// Version 2 added schemaVersion itself, typed notes ({after, text}) and the
// checks a spec made (checks). Files without schemaVersion are version 1,
// whose notes are strings ("after #7: web-1 released"); ReadFile converts
// them (see legacy.go). Version 3 added the StatefulSet's own statuses
// (statuses); a file of an older version holds none, which is not the same
// as a set whose status never changed.
const SchemaVersion = 3

// Timeline is a recorded sequence of pod lifecycle events of one
// StatefulSet, ordered by Seq, with notes of what the test did and the
// checks it made.
type Timeline struct {
	// SchemaVersion is the version of the file the timeline was read
	// from, or SchemaVersion for one recorded here; files are always
	// written in the current version.
	SchemaVersion int     `json:"schemaVersion"`
	StatefulSet   string  `json:"statefulSet"`
	Namespace     string  `json:"namespace"`
	Events        []Event `json:"events"`
	Notes         []Note  `json:"notes,omitempty"`
	// Checks are the checks the spec made of this recording, each with
	// the window it judged, for `stsconform verify` and the report to
	// judge again.
	Checks []Check `json:"checks,omitempty"`
	// Statuses are the StatefulSet's own states, in arrival order (see
	// SetStatus), from schema version 3.
	Statuses []SetStatus `json:"statuses,omitempty"`

	// since is where Since last cut the timeline (0: never): a check of
	// a cut timeline records its window from it.
	since int
}

// Note is an observation recorded beside the events, typically what the
// test did: the action came after event #After and before #After+1.
type Note struct {
	After int    `json:"after"`
	Text  string `json:"text"`
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
// (and claims) already Deleted by seq are dropped. The result remembers the
// cut (Window).
func (tl Timeline) Since(seq int) Timeline {
	gone := map[string]bool{}
	for _, e := range tl.Events {
		if e.Seq <= seq && (e.Kind == Deleted || e.Kind == ClaimDeleted) {
			gone[e.UID] = true
		}
	}
	out := tl.mapEvents(func(e Event) (Event, bool) {
		if e.Seq > seq {
			return e, true
		}
		if gone[e.UID] {
			return e, false
		}
		e.Baseline = true
		return e, true
	})
	out.Statuses = statusesSince(tl.Statuses, seq)
	out.since = max(tl.since, seq)
	return out
}

// Through keeps the events up to and including seq, and the notes written
// by then: the recording as it stood when a check judged it.
func (tl Timeline) Through(seq int) Timeline {
	out := tl.mapEvents(func(e Event) (Event, bool) { return e, e.Seq <= seq })
	out.Notes = slices.DeleteFunc(out.Notes, func(n Note) bool { return n.After > seq })
	out.Statuses = statusesThrough(tl.Statuses, seq)
	return out
}

// Window is the part of a recording this timeline judges: the events
// after since (earlier live pods are its baseline, see Since) through
// through. Since(w.Since) of Through(w.Through) of the whole recording
// gives this timeline back, which is how a recorded check is judged again.
func (tl Timeline) Window() (since, through int) {
	// A cut with nothing after it ends at the cut: later events of
	// the whole recording are not this window's, and neither are the
	// ones Since dropped.
	return tl.since, max(tl.LastSeq(), tl.since)
}

func (tl Timeline) filter(keep func(Event) bool) Timeline {
	return tl.mapEvents(func(e Event) (Event, bool) { return e, keep(e) })
}

func (tl Timeline) mapEvents(f func(Event) (Event, bool)) Timeline {
	out := Timeline{
		SchemaVersion: tl.SchemaVersion,
		StatefulSet:   tl.StatefulSet,
		Namespace:     tl.Namespace,
		Events:        []Event{},
		Notes:         slices.Clone(tl.Notes),
		Checks:        slices.Clone(tl.Checks),
		Statuses:      slices.Clone(tl.Statuses),
		since:         tl.since,
	}
	for _, e := range tl.Events {
		if e, ok := f(e); ok {
			out.Events = append(out.Events, e)
		}
	}
	return out
}
