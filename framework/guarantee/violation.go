package guarantee

import (
	"fmt"
	"strings"

	"github.com/stsconform/stsconform/framework/timeline"
)

// Violation is one way a timeline broke a guarantee.
type Violation struct {
	Guarantee string `json:"guarantee"`
	// Event is the offending event; nil when the violation is about the
	// state at the end of the timeline (e.g. a pod that was never deleted).
	Event   *timeline.Event `json:"event,omitempty"`
	Problem string          `json:"problem"`
	// Evidence is the replayed state of the pods the guarantee depends on,
	// as of just before Event.
	Evidence []string `json:"evidence,omitempty"`
}

func (v Violation) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", v.Guarantee, v.Problem)
	if v.Event != nil {
		fmt.Fprintf(&b, "\n  offending event: %s", v.Event)
	}
	for _, line := range v.Evidence {
		fmt.Fprintf(&b, "\n    %s", line)
	}
	return b.String()
}

// Violations is the error checkers return: every violation found, so one
// run shows the whole picture rather than the first symptom.
type Violations []Violation

func (vs Violations) Error() string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = v.Error()
	}
	return fmt.Sprintf("%d violation(s):\n%s", len(vs), strings.Join(parts, "\n"))
}

// err avoids returning a typed nil, which would compare non-nil as error.
func (vs Violations) err() error {
	if len(vs) == 0 {
		return nil
	}
	return vs
}

func at(e timeline.Event) *timeline.Event { return &e }

func stateOf(r *replay, ordinals []int) []string {
	lines := make([]string, len(ordinals))
	for i, n := range ordinals {
		lines[i] = r.describe(n)
	}
	return lines
}

func names(statefulSet string, ordinals []int) string {
	parts := make([]string, len(ordinals))
	for i, n := range ordinals {
		parts[i] = fmt.Sprintf("%s-%d", statefulSet, n)
	}
	return strings.Join(parts, ", ")
}
