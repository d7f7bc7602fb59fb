package selftest

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

// Result is the verdict on one breakage: detected only when every rule and
// every guarantee's verdict held.
type Result struct {
	Breakage string `json:"breakage"`
	Detected bool   `json:"detected"`
	// Problems says, a line each, how the run fell short.
	Problems []string `json:"problems,omitempty"`
	// Specs is every spec of the run, failed ones first, for the summary.
	Specs []Spec `json:"specs"`
}

// Evaluate judges a run on a broken cluster against its breakage.
func Evaluate(b Breakage, run Run) Result {
	res := Result{Breakage: b.Name}
	// Ginkgo reports the specs its label filter left out as skipped, like
	// the ones it skipped while running: only the former are not judged.
	inRun, err := types.ParseLabelFilter(b.LabelFilter)
	if err != nil {
		res.Problems = append(res.Problems, fmt.Sprintf("label filter %q: %v", b.LabelFilter, err))
		return res
	}
	var specs []Spec
	for _, s := range run.Specs {
		if inRun(s.Labels) {
			specs = append(specs, s)
		}
	}
	res.Specs = sortedSpecs(specs)
	if run.Setup != "" {
		res.Problems = append(res.Problems, "the suite's setup failed, so no spec judged the breakage: "+run.Setup)
	}
	for _, r := range b.MustFail {
		res.Problems = append(res.Problems, mustFail(r, specs)...)
	}
	for _, r := range b.MustPass {
		res.Problems = append(res.Problems, mustPass(r, specs)...)
	}
	labels := make([]string, 0, len(b.Guarantees))
	for l := range b.Guarantees {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	for _, l := range labels {
		want := b.Guarantees[l]
		got, ok := run.Verdicts[l]
		switch {
		case !ok:
			res.Problems = append(res.Problems, fmt.Sprintf("guarantee %s has no verdict in the certification report, want %s", l, want))
		case got != want:
			res.Problems = append(res.Problems, fmt.Sprintf("guarantee %s is %s, want %s", l, got, want))
		}
	}
	res.Detected = len(res.Problems) == 0
	return res
}

// mustFail checks that enough specs are selected and that each failed with
// the expected first line, in time.
func mustFail(r Rule, specs []Spec) []string {
	var problems []string
	selected := r.selected(specs)
	for i, s := range selected {
		switch {
		case r.Ordered && i > 0:
			if s.State != "skipped" {
				problems = append(problems, fmt.Sprintf("missed: %q %s, want skipped after the first spec of its Ordered container failed (%s)", s.Text, s.State, r))
			}
		case s.State != "failed":
			problems = append(problems, fmt.Sprintf("missed: %q %s, want failed (%s)", s.Text, s.State, r))
		case r.FirstLine != nil && !r.FirstLine.MatchString(s.FirstLine):
			problems = append(problems, fmt.Sprintf("wrong reason: %q failed with %q, want a first line matching %s", s.Text, s.FirstLine, r.FirstLine))
		case r.Within > 0 && s.FailedAfter > r.Within:
			problems = append(problems, fmt.Sprintf("too slow: %q failed after %s, want within %s", s.Text, s.FailedAfter.Round(100*time.Millisecond), r.Within))
		}
	}
	if n := len(selected); n < r.AtLeast {
		problems = append(problems, fmt.Sprintf("missed: %d %s in the run, want at least %d", n, r, r.AtLeast))
	}
	return problems
}

// mustPass checks the controls.
func mustPass(r Rule, specs []Spec) []string {
	var problems []string
	selected := r.selected(specs)
	for _, s := range selected {
		if s.State != "passed" {
			problems = append(problems, fmt.Sprintf("control %q %s (%s), want passed: the cluster is broken beyond the breakage", s.Text, s.State, s.FirstLine))
		}
	}
	if n := len(selected); n < r.AtLeast {
		problems = append(problems, fmt.Sprintf("control missing: %d %s in the run, want at least %d", n, r, r.AtLeast))
	}
	return problems
}

// sortedSpecs puts failed specs first, each group in run order.
func sortedSpecs(specs []Spec) []Spec {
	out := slices.Clone(specs)
	slices.SortStableFunc(out, func(a, b Spec) int {
		af, bf := a.State == "failed", b.State == "failed"
		switch {
		case af == bf:
			return 0
		case af:
			return -1
		}
		return 1
	})
	return out
}
