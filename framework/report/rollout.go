package report

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stsconform/stsconform/framework/timeline"
)

// revision is one row of a StatefulSet's rollout history.
type revision struct {
	// Number is the ControllerRevision's revision as `kubectl rollout
	// history` shows it; 0 when the spec did not report its revisions, in
	// which case rows are in the order the timeline first saw them.
	Number int    `json:"number,omitempty"`
	Name   string `json:"name"`
	// Image is the first container's image on pods of this revision; empty
	// when no pod of it was recorded.
	Image     string    `json:"image,omitempty"`
	FirstSeq  int       `json:"firstSeq,omitempty"`
	FirstSeen time.Time `json:"firstSeen,omitzero"`
	Pods      []string  `json:"pods,omitempty"`
}

// revisionLine matches the lines of an EntryRevisions value, in-process
// ("[revision 1 web-abc revision 2 web-def]") and from JSON alike.
var revisionLine = regexp.MustCompile(`revision (\d+) ([^\s\]",]+)`)

// rolloutOf derives the rollout history of a timeline's StatefulSet from
// the controller-revision-hash of its pods (the ControllerRevision's name)
// and the revision numbers the spec reported. A set that only ever ran one
// revision has no history worth showing: nil.
func rolloutOf(tl timeline.Timeline, revisionEntries []string) []revision {
	byName := map[string]*revision{}
	var order []*revision
	get := func(name string) *revision {
		r := byName[name]
		if r == nil {
			r = &revision{Name: name}
			byName[name] = r
			order = append(order, r)
		}
		return r
	}
	for _, e := range tl.Events {
		if e.Revision == "" {
			continue
		}
		r := get(e.Revision)
		if r.FirstSeq == 0 {
			r.FirstSeq, r.FirstSeen = e.Seq, e.ObservedAt
		}
		if r.Image == "" {
			r.Image = e.Image
		}
		if !slices.Contains(r.Pods, e.Pod) {
			r.Pods = append(r.Pods, e.Pod)
		}
	}
	for _, entry := range revisionEntries {
		for _, m := range revisionLine.FindAllStringSubmatch(entry, -1) {
			if !strings.HasPrefix(m[2], tl.StatefulSet+"-") {
				continue
			}
			n, err := strconv.Atoi(m[1])
			if err == nil {
				get(m[2]).Number = n
			}
		}
	}
	if len(order) < 2 {
		return nil
	}
	out := make([]revision, len(order))
	for i, r := range order {
		slices.Sort(r.Pods)
		out[i] = *r
	}
	// Numbered revisions in kubectl's order; any the spec did not number
	// keep their first-seen order after them.
	slices.SortStableFunc(out, func(a, b revision) int {
		if (a.Number == 0) != (b.Number == 0) {
			return cmp.Compare(b.Number, a.Number)
		}
		return cmp.Compare(a.Number, b.Number)
	})
	return out
}
