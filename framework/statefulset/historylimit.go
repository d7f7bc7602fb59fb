package statefulset

import (
	"fmt"
	"slices"
)

// KeptRevisions checks what revisionHistoryLimit promises ("the maximum
// number of revisions that will be maintained in the StatefulSet's revision
// history. The revision history consists of all revisions not represented
// by a currently applied StatefulSetSpec version"): of the revisions the
// set was given, oldest first (created), those in use (the current and
// update revisions and the pods') remain, with the newest limit of the
// others, and nothing else does.
func KeptRevisions(history []Revision, created, inUse []string, limit int) error {
	want := slices.Clone(inUse)
	others := 0
	for i := len(created) - 1; i >= 0; i-- {
		name := created[i]
		if slices.Contains(want, name) {
			continue
		}
		if others < limit {
			want = append(want, name)
		}
		others++
	}
	var have []string
	for _, r := range history {
		have = append(have, r.Name)
	}
	var missing, extra []string
	for _, n := range want {
		if !slices.Contains(have, n) {
			missing = append(missing, n)
		}
	}
	for _, n := range have {
		if !slices.Contains(want, n) {
			extra = append(extra, n)
		}
	}
	if len(missing) == 0 && len(extra) == 0 {
		return nil
	}
	return fmt.Errorf("revisionHistoryLimit %d with revisions %v created (in use %v): want %v kept; pruned too early %v, kept beyond the limit %v; history: %v",
		limit, created, inUse, want, missing, extra, HistoryLines(history))
}
