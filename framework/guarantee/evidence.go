package guarantee

import (
	"fmt"
	"slices"

	"github.com/stsconform/stsconform/framework/timeline"
)

// EvidenceError is returned instead of a verdict when the timeline does not
// contain what the guarantee is about: judged anyway, an empty or truncated
// recording (a wrong StatefulSet name, a window cut after the action, a
// recorder that stopped early) would pass without proving anything.
type EvidenceError struct {
	Rule                   Rule
	Namespace, StatefulSet string
	// Missing is what the guarantee needs, e.g. "pods web-0..web-2".
	Missing string
	// Found is what the timeline holds instead.
	Found string
}

func (e *EvidenceError) Error() string {
	return fmt.Sprintf("%s: evidence lacks %s: %s (timeline of %s/%s)", e.Rule.Name, e.Missing, e.Found, e.Namespace, e.StatefulSet)
}

func lacks(tl timeline.Timeline, rule Rule, missing, found string) *EvidenceError {
	return &EvidenceError{Rule: rule, Namespace: tl.Namespace, StatefulSet: tl.StatefulSet, Missing: missing, Found: found}
}

// requireEvents refuses a timeline that holds no event, baseline included,
// for some of the ordinals the guarantee concerns.
func requireEvents(tl timeline.Timeline, rule Rule, ordinals []int) error {
	seen := map[int]bool{}
	for _, e := range tl.Events {
		seen[e.Ordinal] = true
	}
	var missing []int
	for _, n := range ordinals {
		if !seen[n] {
			missing = append(missing, n)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return lacks(tl, rule, "pods "+podRange(tl.StatefulSet, missing),
		"the timeline holds 0 events for them; "+holds(tl))
}

// requireCreations refuses a timeline in which some of the ordinals were
// never seen being created: pods that only appear as baseline existed
// before the window, so their creation cannot be judged.
func requireCreations(tl timeline.Timeline, rule Rule, ordinals []int) error {
	created := map[int]bool{}
	for _, e := range tl.Events {
		if e.Kind == timeline.Created && !e.Baseline {
			created[e.Ordinal] = true
		}
	}
	var missing []int
	for _, n := range ordinals {
		if !created[n] {
			missing = append(missing, n)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return lacks(tl, rule, "the creation of "+podRange(tl.StatefulSet, missing),
		"they appear only as baseline (they existed before the recording or the window opened); "+holds(tl))
}

// holds summarises a timeline for an evidence error: how many events, of
// which pods, so that a wrong StatefulSet name or an empty recording shows.
func holds(tl timeline.Timeline) string {
	if len(tl.Events) == 0 {
		return "it holds no events at all"
	}
	var pods []string
	for _, e := range tl.Events {
		if !slices.Contains(pods, e.Pod) {
			pods = append(pods, e.Pod)
		}
	}
	return fmt.Sprintf("it holds %d events, of %s", len(tl.Events), joinLimited(pods, 8))
}

func joinLimited(items []string, limit int) string {
	out := ""
	for i, s := range items {
		if i == limit {
			return out + fmt.Sprintf(" and %d more", len(items)-limit)
		}
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return out
}
