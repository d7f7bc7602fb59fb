package rerun

import (
	"slices"
	"strconv"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/stsconform/stsconform/framework/report"
)

// Merge is the certification's Ginkgo report after a re-run: prev's, each
// re-run spec replaced by its report in again (a spec again lacks keeps
// its earlier report), and the suite's own nodes (setup, teardown,
// reporting) and failure reasons from again, the latest attempt. The run's
// selection (label filter, focus) stays prev's, so that the specs it
// filtered out are still explained by it.
func Merge(prev, again types.Report, rerun []types.SpecReport) types.Report {
	redone := map[string]bool{}
	for _, s := range rerun {
		redone[s.FullText()] = true
	}
	latest := map[string]types.SpecReport{}
	for _, s := range again.SpecReports {
		if s.LeafNodeType == types.NodeTypeIt {
			latest[s.FullText()] = s
		}
	}
	out := prev
	out.SpecReports = nil
	for _, s := range prev.SpecReports {
		if s.LeafNodeType != types.NodeTypeIt {
			continue
		}
		if l, ok := latest[s.FullText()]; ok && redone[s.FullText()] {
			s = l
		}
		out.SpecReports = append(out.SpecReports, s)
	}
	for _, s := range again.SpecReports {
		if s.LeafNodeType != types.NodeTypeIt {
			out.SpecReports = append(out.SpecReports, s)
		}
	}
	out.SpecialSuiteFailureReasons = again.SpecialSuiteFailureReasons
	out.EndTime = again.EndTime
	out.RunTime = prev.RunTime + again.RunTime
	out.SuiteSucceeded = again.SuiteSucceeded
	for _, s := range out.SpecReports {
		if s.State.Is(types.SpecStateFailureStates) {
			out.SuiteSucceeded = false
		}
	}
	return out
}

// record adds the attempt just folded to the history (nil for a
// certification of one run, which becomes attempt 1, its results kept in
// firstDir). firstRunID and runID name the two runs.
func (p *Plan) record(again types.Report, firstDir, firstRunID, runID string) *report.Rerun {
	h := p.History
	if h == nil {
		first := attempt(1, firstDir, p.Previous, "", count(p.Previous))
		first.RunID = firstRunID
		h = &report.Rerun{Attempts: []report.Attempt{first}}
	}
	a := attempt(p.Attempt, attemptsDir+"/"+strconv.Itoa(p.Attempt), again, p.Focus, len(p.Specs))
	a.RunID = runID
	h.Attempts = append(h.Attempts, a)
	earlier := map[string]types.SpecReport{}
	for _, s := range p.Previous.SpecReports {
		earlier[s.FullText()] = s
	}
	latest := map[string]types.SpecReport{}
	for _, s := range again.SpecReports {
		latest[s.FullText()] = s
	}
	for _, s := range p.Specs {
		text := s.FullText()
		i := slices.IndexFunc(h.Specs, func(r report.RerunSpec) bool { return r.Spec == text })
		if i < 0 {
			// Its first re-run: what it did until now came from attempt 1.
			h.Specs = append(h.Specs, report.RerunSpec{Spec: text, Attempts: []report.SpecAttempt{report.Outcome(1, earlier[text])}})
			i = len(h.Specs) - 1
		}
		if l, ok := latest[text]; ok {
			h.Specs[i].Attempts = append(h.Specs[i].Attempts, report.Outcome(p.Attempt, l))
		}
		h.Specs[i].Flaky = flaky(h.Specs[i].Attempts)
	}
	return h
}

// flaky: the last attempt passed and an earlier one failed.
func flaky(as []report.SpecAttempt) bool {
	if len(as) < 2 || as[len(as)-1].State != types.SpecStatePassed.String() {
		return false
	}
	for _, a := range as[:len(as)-1] {
		if a.Failed() {
			return true
		}
	}
	return false
}

func attempt(n int, dir string, g types.Report, focus string, specs int) report.Attempt {
	return report.Attempt{Number: n, Dir: dir, Started: g.StartTime, Seconds: g.RunTime.Seconds(), Focus: focus, Specs: specs,
		Problems: report.SuiteProblems(g)}
}

// count is how many specs a run ran (skipped and filtered-out ones aside).
func count(g types.Report) int {
	n := 0
	for _, s := range g.SpecReports {
		if s.LeafNodeType == types.NodeTypeIt && !s.State.Is(types.SpecStateSkipped|types.SpecStatePending) {
			n++
		}
	}
	return n
}
