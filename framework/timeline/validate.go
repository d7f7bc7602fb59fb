package timeline

import (
	"cmp"
	"fmt"
	"slices"
)

// Kinds is every event kind the recorder writes: Validate refuses any
// other, and a test checks that each EventKind constant of this package is
// listed, so that a new kind cannot be forgotten here.
var Kinds = []EventKind{
	Created, Scheduled, Running, Ready, Unready, Failed, Terminating, Deleted, OwnersChanged,
	ClaimCreated, ClaimOwnersChanged, ClaimTerminating, ClaimDeleted,
}

// InconsistentError is evidence that cannot be what the recorder wrote:
// corrupt or edited. It is its own class so that verify and the report
// name it as such, never as a violation of the controller nor as a pass.
type InconsistentError struct {
	// File is the timeline's path ("" when it was not read from a file).
	File string
	// Index is the position of the first bad event in the file's array,
	// or -1 when the fault is not one event's.
	Index int
	Seq   int
	// Reason says what is wrong.
	Reason string
}

func (e *InconsistentError) Error() string {
	where := ""
	if e.File != "" {
		where = e.File + ": "
	}
	if e.Index < 0 {
		return fmt.Sprintf("the evidence is inconsistent: %s%s", where, e.Reason)
	}
	return fmt.Sprintf("the evidence is inconsistent: %sevent #%d (seq %d): %s", where, e.Index, e.Seq, e.Reason)
}

// ExitCode sets stsconform's exit status apart from a violation's (1):
// a script can tell corrupt evidence from a controller that broke a
// guarantee.
func (e *InconsistentError) ExitCode() int { return ExitInconsistent }

// ExitInconsistent is the exit status of a command refused for
// inconsistent evidence.
const ExitInconsistent = 3

// Validate checks that tl could have been written by the recorder: every
// seq positive and unique, every kind known, each pod's ordinal the one
// its name gives under the StatefulSet's name, a pod named for the
// StatefulSet when there are pods at all, every event timestamped. The
// first fault is returned as an *InconsistentError; the events' order in
// the array is not checked (Sorted replays them by seq).
func Validate(tl Timeline) error {
	bad := func(i int, format string, args ...any) error {
		return &InconsistentError{Index: i, Seq: tl.Events[i].Seq, Reason: fmt.Sprintf(format, args...)}
	}
	if tl.StatefulSet == "" && len(tl.Events) > 0 {
		return &InconsistentError{Index: -1, Reason: "no statefulSet named"}
	}
	seen := make(map[int]int, len(tl.Events))
	pods, named := 0, 0
	for i, e := range tl.Events {
		if e.Seq < 1 {
			return bad(i, "seq %d is not positive: the recorder numbers events from 1", e.Seq)
		}
		if j, dup := seen[e.Seq]; dup {
			return bad(i, "seq %d is also event #%d's: each event has its own", e.Seq, j)
		}
		seen[e.Seq] = i
		if !slices.Contains(Kinds, e.Kind) {
			return bad(i, "unknown kind %q (known: %v)", e.Kind, Kinds)
		}
		if e.ObservedAt.IsZero() {
			return bad(i, "no observedAt: the recorder stamps every event")
		}
		if IsClaimEvent(e.Kind) {
			if e.Claim == "" || e.Pod != "" || e.Ordinal != -1 {
				return bad(i, "%s must name a claim, no pod and ordinal -1 (claim %q, pod %q, ordinal %d)", e.Kind, e.Claim, e.Pod, e.Ordinal)
			}
			continue
		}
		if e.Pod == "" || e.Claim != "" {
			return bad(i, "%s must name a pod and no claim (pod %q, claim %q)", e.Kind, e.Pod, e.Claim)
		}
		pods++
		want := ParseOrdinal(tl.StatefulSet, e.Pod)
		if want >= 0 {
			named++
		}
		if e.Ordinal != want {
			return bad(i, "ordinal %d contradicts pod %s of StatefulSet %s (ordinal %d)", e.Ordinal, e.Pod, tl.StatefulSet, want)
		}
	}
	if pods > 0 && named == 0 {
		return &InconsistentError{Index: -1, Reason: fmt.Sprintf("no pod of the %d event(s) is named %s-<N>: the StatefulSet's name matches none of them", pods, tl.StatefulSet)}
	}
	return nil
}

// Sorted returns tl with its events in seq order, the order they arrived
// in, for a file valid by seq but stored out of order.
func (tl Timeline) Sorted() Timeline {
	if slices.IsSortedFunc(tl.Events, bySeq) {
		return tl
	}
	tl.Events = slices.Clone(tl.Events)
	slices.SortStableFunc(tl.Events, bySeq)
	return tl
}

func bySeq(a, b Event) int { return cmp.Compare(a.Seq, b.Seq) }
