package guarantee

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stsconform/stsconform/framework/timeline"
)

// Rule names a guarantee. Name leads every failure message, so that the
// first line a reader sees says which promise broke; Doc quotes the
// documentation the rule rests on, for the details below it.
type Rule struct {
	Name string `json:"name"`
	Doc  string `json:"doc"`
}

// Violation is one way a timeline broke a guarantee.
type Violation struct {
	Rule Rule `json:"rule"`
	// Event is the offending event; nil when the violation is about the
	// state at the end of the timeline (e.g. a pod that was never deleted).
	Event   *timeline.Event `json:"event,omitempty"`
	Problem string          `json:"problem"`
	// Evidence is the replayed state of the pods the guarantee depends on,
	// as of just before Event.
	Evidence []string `json:"evidence,omitempty"`
}

// Headline is the violation in one line: the rule, then what broke it.
func (v Violation) Headline() string {
	return v.Rule.Name + ": " + v.Problem
}

func (v Violation) Error() string {
	var b strings.Builder
	b.WriteString(v.Headline())
	if v.Event != nil {
		fmt.Fprintf(&b, "\n  offending event: %s", v.Event)
	}
	if len(v.Evidence) > 0 {
		b.WriteString("\n  state of the pods it depends on:")
	}
	for _, line := range v.Evidence {
		fmt.Fprintf(&b, "\n    %s", line)
	}
	return b.String()
}

// Violations is the error checkers return: every violation found, so one
// run shows the whole picture rather than the first symptom. Its message
// starts with the first violation's headline, so that the line a test
// runner prints first names the rule, the pod and the event.
type Violations []Violation

func (vs Violations) Error() string {
	if len(vs) == 0 {
		return "no violations"
	}
	var b strings.Builder
	if len(vs) == 1 {
		b.WriteString(vs[0].Error())
	} else {
		fmt.Fprintf(&b, "%s (and %d more violation(s))", vs[0].Headline(), len(vs)-1)
	}
	var docs []string
	for i, v := range vs {
		if len(vs) > 1 {
			fmt.Fprintf(&b, "\n[%d/%d] %s", i+1, len(vs), v.Error())
		}
		if doc := v.Rule.Name + ": " + v.Rule.Doc; v.Rule.Doc != "" && !slices.Contains(docs, doc) {
			docs = append(docs, doc)
		}
	}
	for _, d := range docs {
		fmt.Fprintf(&b, "\ndocumented, %s", d)
	}
	return b.String()
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

// podRange names ordinals compactly, runs as web-0..web-2, for messages
// about many pods.
func podRange(statefulSet string, ordinals []int) string {
	var parts []string
	for i := 0; i < len(ordinals); {
		j := i
		for j+1 < len(ordinals) && ordinals[j+1] == ordinals[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%s-%d..%s-%d", statefulSet, ordinals[i], statefulSet, ordinals[j]))
		} else {
			parts = append(parts, fmt.Sprintf("%s-%d", statefulSet, ordinals[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

func span(from, to int) []int {
	var out []int
	for n := from; n < to; n++ {
		out = append(out, n)
	}
	return out
}
