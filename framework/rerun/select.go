// Package rerun re-runs what a run left unproven and folds the result into
// a new certification: the specs that failed or did not run to the end
// are selected from the run's Ginkgo report, run again into an attempt
// directory of their own, and merged into the certification's report,
// whose history (report.Rerun) says what each re-run spec did in every
// attempt, so that a spec that passed only the second time is shown as
// flaky, never as a plain pass.
package rerun

import (
	"regexp"
	"slices"
	"strings"

	"github.com/onsi/ginkgo/v2/types"
)

// Select returns the specs of g to run again: every spec that did not
// pass, except those the run never meant to run (filtered out by its
// label filter, focus or skip, or pending). A spec that skipped itself
// (the cluster lacked something) is selected: its guarantee was not
// verified, and the cluster may have it now. A spec of an Ordered
// container brings the whole container: its specs share state.
func Select(g types.Report) []types.SpecReport {
	meant := selection(g)
	var out []types.SpecReport
	ordered := map[string]bool{}
	for _, s := range g.SpecReports {
		if s.LeafNodeType != types.NodeTypeIt || s.State.Is(types.SpecStatePassed|types.SpecStatePending) {
			continue
		}
		if s.State.Is(types.SpecStateSkipped) && s.Failure.Message == "" && !meant(g.SuiteDescription, s) {
			continue
		}
		out = append(out, s)
		if s.IsInOrderedContainer {
			ordered[outermost(s)] = true
		}
	}
	for _, s := range g.SpecReports {
		if s.LeafNodeType == types.NodeTypeIt && s.IsInOrderedContainer && ordered[outermost(s)] &&
			!slices.ContainsFunc(out, func(o types.SpecReport) bool { return o.FullText() == s.FullText() }) {
			out = append(out, s)
		}
	}
	return out
}

// outermost names a spec's outermost container: Ordered containers in
// this suite are top-level Describes, and grouping by the outermost one
// re-runs too much rather than too little if one is nested.
func outermost(s types.SpecReport) string {
	if len(s.ContainerHierarchyLocations) == 0 {
		return ""
	}
	return s.ContainerHierarchyLocations[0].String()
}

// selection reports whether the run's label filter, focus and skip
// selected a spec, as Ginkgo decides it. What cannot be parsed selects:
// re-running a spec too many is cheaper than certifying without it.
func selection(g types.Report) func(description string, s types.SpecReport) bool {
	labels := func([]string) bool { return true }
	if f, err := types.ParseLabelFilter(g.SuiteConfig.LabelFilter); err == nil && g.SuiteConfig.LabelFilter != "" {
		labels = f
	}
	focus, _ := regexp.Compile(strings.Join(g.SuiteConfig.FocusStrings, "|"))
	skip, _ := regexp.Compile(strings.Join(g.SuiteConfig.SkipStrings, "|"))
	return func(description string, s types.SpecReport) bool {
		text := description + " " + s.FullText()
		return labels(s.Labels()) &&
			(len(g.SuiteConfig.FocusStrings) == 0 || focus == nil || focus.MatchString(text)) &&
			(len(g.SuiteConfig.SkipStrings) == 0 || skip == nil || !skip.MatchString(text))
	}
}

// Focus is a Ginkgo --focus that matches exactly these specs: Ginkgo
// matches it against the suite's description and the spec's full text.
func Focus(description string, specs []types.SpecReport) string {
	alts := make([]string, len(specs))
	for i, s := range specs {
		alts[i] = regexp.QuoteMeta(description + " " + s.FullText())
	}
	return "^(?:" + strings.Join(alts, "|") + ")$"
}
