package report

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/stsconform/stsconform/framework/support"
	"github.com/stsconform/stsconform/framework/timeline"
)

// Input is everything a report is built from.
type Input struct {
	// Ginkgo is the suite's report: the argument of ReportAfterSuite, or
	// one element of the --json-report file.
	Ginkgo types.Report
	// Environment is what the suite collected from the cluster.
	Environment Environment
	// ArtifactsDir holds the timelines and diagnostics the specs wrote;
	// every path in the outputs is relative to it.
	ArtifactsDir string
}

// Report is a judged run, ready to Write.
type Report struct {
	suite       string
	started     time.Time
	duration    time.Duration
	labelFilter string
	config      types.SuiteConfig
	env         Environment
	// support is the API server's place in the support window.
	support support.Verdict

	verdict    Verdict
	reasons    []string
	guarantees []*guaranteeResult
	// other are specs with no guarantee label.
	other    []*specResult
	problems []string
	// orphans are timelines no guarantee shows: claimed by no spec, or
	// only by specs without a guarantee label.
	orphans  []*evidence
	manifest []manifestEntry
	counts   counts
	rerun    *Rerun // the history of a certification merged from re-runs (rerun.go)
}

type counts struct {
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
}

// guaranteeResult is one row of the verdict table and its section.
type guaranteeResult struct {
	Guarantee
	Verdict   Verdict
	Reason    string
	Specs     []*specResult
	Timelines []*evidence
}

// Build judges the run. It reads the timelines and hashes the files under
// in.ArtifactsDir; an unreadable or missing piece of evidence becomes a
// problem listed in the report (and keeps it from certifying), while an
// artifacts directory that cannot be walked at all is an error.
func Build(in Input) (*Report, error) {
	if in.ArtifactsDir == "" {
		return nil, errors.New("report: ArtifactsDir is required: outputs link to evidence relative to it")
	}
	r := &Report{
		suite:       in.Ginkgo.SuiteDescription,
		started:     in.Ginkgo.StartTime,
		duration:    in.Ginkgo.RunTime,
		labelFilter: in.Ginkgo.SuiteConfig.LabelFilter,
		config:      in.Ginkgo.SuiteConfig,
		env:         in.Environment,
	}
	// The report states the environment in the current schema whether it
	// came from memory or from an older file.
	r.env.SchemaVersion = environmentSchema
	ctx := newRunContext(in.Ginkgo)
	timelines, unreadable, problems := loadTimelines(in.ArtifactsDir)
	r.problems = append(r.problems, problems...)
	r.problems = append(r.problems, suiteProblems(in.Ginkgo)...)

	r.guarantees = make([]*guaranteeResult, len(catalogue))
	for i, g := range catalogue {
		r.guarantees[i] = &guaranteeResult{Guarantee: g}
	}
	for _, s := range in.Ginkgo.SpecReports {
		if s.LeafNodeType != types.NodeTypeIt {
			continue
		}
		res := newSpecResult(s, ctx, in.ArtifactsDir)
		r.counts.add(s.State)
		var missing []string
		res.gaps, res.inconsistent, missing = evidenceGaps(res, timelines, unreadable)
		r.problems = append(r.problems, missing...)
		evs := attach(res, timelines)
		for _, ev := range evs {
			res.inconsistent = append(res.inconsistent, ev.inconsistent...)
		}
		var mine []*guaranteeResult
		for _, g := range r.guarantees {
			if res.has(g.Label) {
				mine = append(mine, g)
			}
		}
		if len(mine) == 0 {
			r.other = append(r.other, res)
		}
		for _, g := range mine {
			g.Specs = append(g.Specs, res)
			for _, ev := range evs {
				if !slices.Contains(g.Timelines, ev) {
					g.Timelines = append(g.Timelines, ev)
				}
				if ev.Rollout == nil {
					ev.Rollout = rolloutOf(ev.Timeline, res.revisionEntries)
				}
			}
		}
	}
	for _, g := range r.guarantees {
		var violated []string
		for _, ev := range g.Timelines {
			if s := ev.summary(); s != "" {
				violated = append(violated, s)
			}
		}
		g.Verdict, g.Reason = judge(g.Specs, violated)
	}
	for _, p := range slices.Sorted(maps.Keys(timelines)) {
		r.problems = append(r.problems, timelines[p].inconsistent...)
	}
	r.orphans = orphans(timelines, r.guarantees)
	for _, ev := range r.orphans {
		ev.Rollout = rolloutOf(ev.Timeline, nil)
	}
	r.verdict, r.reasons = overall(r.guarantees, r.problems)
	// A run outside the window keeps its verdict, never silently: the
	// verdict line says where the server stands.
	r.support = supportOf(r.env, r.started)
	if r.support.Status != support.Supported {
		r.reasons = append(r.reasons, r.support.Reason)
	}

	m, err := manifest(in.ArtifactsDir)
	if err != nil {
		return nil, err
	}
	r.manifest = m
	return r, nil
}

// evidenceGaps are the timelines a spec recorded that the report cannot
// judge, each with why: a guarantee resting on them is not verified.
// inconsistent are those the recorder cannot have written, each its
// *timeline.InconsistentError's line: corrupt evidence, named as such.
// missing are the problems of the run among them; an unreadable file is
// one already (loadTimelines), and is not called missing.
func evidenceGaps(s *specResult, timelines map[string]*evidence, unreadable map[string]error) (gaps, inconsistent, missing []string) {
	for _, p := range s.Timelines {
		if timelines[p] != nil {
			continue
		}
		if why, ok := unreadable[p]; ok {
			var bad *timeline.InconsistentError
			if errors.As(why, &bad) {
				inconsistent = append(inconsistent, why.Error())
				continue
			}
			gaps = append(gaps, fmt.Sprintf("timeline %s is unreadable (%v)", p, why))
			continue
		}
		gaps = append(gaps, fmt.Sprintf("timeline %s is not in the artifacts", p))
		missing = append(missing, fmt.Sprintf("spec %q recorded timeline %s, which is not in the artifacts", s.Text, p))
	}
	return gaps, inconsistent, missing
}

func (c *counts) add(s types.SpecState) {
	switch {
	case s.Is(types.SpecStatePassed):
		c.Passed++
	case s.Is(types.SpecStateFailureStates):
		c.Failed++
	case s.Is(types.SpecStateSkipped | types.SpecStatePending):
		c.Skipped++
	}
}

// suiteProblems are failures outside any spec (setup, teardown, reporting)
// and Ginkgo's own reasons for failing the suite: a run with them is not a
// clean run, whatever its specs say.
func suiteProblems(g types.Report) []string {
	var out []string
	for _, s := range g.SpecReports {
		if s.LeafNodeType == types.NodeTypeIt || !s.State.Is(types.SpecStateFailureStates) {
			continue
		}
		out = append(out, fmt.Sprintf("%s %s: %s", s.LeafNodeType, s.State, firstLine(s.Failure.Message)))
	}
	if g.SuiteConfig.DryRun {
		out = append(out, "Ginkgo dry run (--dry-run): no spec ran")
	}
	for _, reason := range g.SpecialSuiteFailureReasons {
		out = append(out, "Ginkgo: "+reason)
	}
	return out
}

// Overall is the run's verdict: Certified, Failed or Incomplete.
func (r *Report) Overall() Verdict { return r.verdict }

// Why is the reasons for the run's verdict on one line, and the first
// problem with the run or its evidence when there is one.
func (r *Report) Why() string {
	why := strings.Join(r.reasons, "; ")
	if len(r.problems) > 0 {
		why += "; first problem: " + firstLine(r.problems[0])
	}
	return why
}
