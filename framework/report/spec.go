package report

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/stsconform/stsconform/framework/guarantee"
)

// Report entry names the suite adds with AddReportEntry and the report
// reads. Anything else whose name starts with "observation" is shown as an
// observation of its spec.
const (
	// EntryTimeline is the path of a timeline file the spec recorded.
	EntryTimeline = "timeline"
	// EntryDiagnostics is the directory of a failed spec's diagnostics.
	EntryDiagnostics = "diagnostics"
	// EntryRevisions lists ControllerRevisions as "revision N NAME" lines.
	EntryRevisions = "controller revisions"
	// EntryViolations carries a guarantee.Violations a checker returned,
	// for checkers that need the spec's parameters (e.g. RollingUpdate).
	EntryViolations  = "violations"
	entryObservation = "observation"
)

// specResult is one It as the report shows it.
type specResult struct {
	Text     string        `json:"spec"`
	Labels   []string      `json:"labels,omitempty"`
	State    string        `json:"state"`
	Outcome  outcome       `json:"outcome"`
	Reason   string        `json:"reason,omitempty"`
	Duration time.Duration `json:"duration"`
	// Diagnostics and Timelines are relative to the artifacts directory.
	Diagnostics  []string      `json:"diagnostics,omitempty"`
	Timelines    []string      `json:"timelines,omitempty"`
	Observations []observation `json:"observations,omitempty"`

	revisionEntries []string
	violations      []guarantee.Violation
	// gaps are the recorded timelines the report could not read, with why.
	gaps []string
	// inconsistent are those the recorder cannot have written (corrupt or
	// edited), each its "the evidence is inconsistent: ..." line.
	inconsistent []string
}

type observation struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Title drops the "observation:" prefix that marks the entry for the report.
func (o observation) Title() string {
	t := strings.TrimSpace(strings.TrimPrefix(o.Name, entryObservation))
	return strings.TrimSpace(strings.TrimPrefix(t, ":"))
}

// runContext is what explains a skip without a message: Ginkgo records
// filtered-out and never-reached specs alike as "skipped".
type runContext struct {
	labelFilter string
	matches     types.LabelFilter
	setup       string // why the suite's setup kept specs from running
	interrupted string
	failFast    bool
	selection   string
	dryRun      bool
}

func newRunContext(r types.Report) runContext {
	c := runContext{labelFilter: r.SuiteConfig.LabelFilter, dryRun: r.SuiteConfig.DryRun}
	if f, err := types.ParseLabelFilter(c.labelFilter); err == nil {
		c.matches = f
	}
	for _, s := range r.SpecReports {
		if s.LeafNodeType.Is(types.NodeTypeBeforeSuite | types.NodeTypeSynchronizedBeforeSuite) {
			switch {
			case s.State.Is(types.SpecStateFailureStates):
				c.setup = fmt.Sprintf("%s %s: %s", s.LeafNodeType, s.State, firstLine(s.Failure.Message))
			case s.State.Is(types.SpecStateSkipped):
				c.setup = fmt.Sprintf("%s skipped the suite: %s", s.LeafNodeType, firstLine(s.Failure.Message))
			}
		}
		if s.LeafNodeType == types.NodeTypeIt && s.State.Is(types.SpecStateFailureStates) {
			c.failFast = r.SuiteConfig.FailFast
		}
	}
	// Ginkgo's wording varies ("Interrupted by User", "Suite Timeout
	// Elapsed", "... did not run because the timeout elapsed"): match the
	// gist, and quote Ginkgo.
	var early []string
	for _, reason := range r.SpecialSuiteFailureReasons {
		l := strings.ToLower(reason)
		if strings.Contains(l, "interrupt") || strings.Contains(l, "timeout") || strings.Contains(l, "abort") || strings.Contains(l, "did not run") {
			early = append(early, firstLine(reason))
		}
	}
	c.interrupted = strings.Join(early, "; ")
	var sel []string
	for _, f := range r.SuiteConfig.FocusStrings {
		sel = append(sel, "--focus="+f)
	}
	for _, s := range r.SuiteConfig.SkipStrings {
		sel = append(sel, "--skip="+s)
	}
	c.selection = strings.Join(sel, " ")
	return c
}

func (c runContext) skipReason(s types.SpecReport) string {
	switch {
	case s.Failure.Message != "":
		return "skipped: " + s.Failure.Message
	case c.labelFilter != "" && c.matches != nil && !c.matches(s.Labels()):
		return "filtered out by --label-filter=" + c.labelFilter
	case c.setup != "":
		return "not run: " + c.setup
	case c.interrupted != "":
		return "not run: the run ended early (" + c.interrupted + ")"
	case c.failFast:
		return "not run: --fail-fast stopped the run after a failure"
	case c.selection != "":
		return "not selected by " + c.selection
	}
	return "skipped without a reason recorded by Ginkgo"
}

// classify maps Ginkgo's states onto what a guarantee can conclude. An
// interrupted spec proved nothing either way, unless it had already failed
// (Ginkgo then keeps the failure as an additional one).
func classify(s types.SpecReport, c runContext) (outcome, string) {
	switch {
	case c.dryRun && s.State.Is(types.SpecStatePassed):
		// Ginkgo reports every spec of a dry run as passed.
		return notRun, dryRunReason
	case s.State.Is(types.SpecStatePassed):
		return passed, ""
	case s.State.Is(types.SpecStateInterrupted):
		for _, af := range s.AdditionalFailures {
			if af.State.Is(types.SpecStateFailed | types.SpecStatePanicked | types.SpecStateTimedout | types.SpecStateAborted) {
				return failed, fmt.Sprintf("%s, then interrupted: %s", af.State, failureText(af.Failure))
			}
		}
		return notRun, "interrupted: " + firstLine(s.Failure.Message)
	case s.State.Is(types.SpecStateFailureStates):
		return failed, failureText(s.Failure)
	case s.State.Is(types.SpecStateSkipped):
		return notRun, c.skipReason(s)
	case s.State.Is(types.SpecStatePending):
		return notRun, "pending: the spec is marked Pending"
	}
	return notRun, "no outcome recorded (" + s.State.String() + ")"
}

const dryRunReason = "not run: this was a Ginkgo dry run (--dry-run), which reports specs as passed without running them"

func failureText(f types.Failure) string {
	msg := f.Message
	if f.ForwardedPanic != "" {
		msg += "\npanic: " + f.ForwardedPanic
	}
	if f.Location.FileName != "" {
		msg += fmt.Sprintf("\nat %s:%d", f.Location.FileName, f.Location.LineNumber)
	}
	return msg
}

func newSpecResult(s types.SpecReport, c runContext, artifactsDir string) *specResult {
	res := &specResult{Text: s.FullText(), Labels: s.Labels(), State: s.State.String(), Duration: s.RunTime}
	res.Outcome, res.Reason = classify(s, c)
	for _, e := range s.ReportEntries {
		v := e.StringRepresentation()
		switch {
		case e.Name == EntryTimeline:
			res.Timelines = append(res.Timelines, relToArtifacts(artifactsDir, v))
		case e.Name == EntryDiagnostics:
			res.Diagnostics = append(res.Diagnostics, relToArtifacts(artifactsDir, v))
		case e.Name == EntryRevisions:
			res.revisionEntries = append(res.revisionEntries, v)
		case e.Name == EntryViolations:
			res.violations = append(res.violations, decodeViolations(e)...)
		case strings.HasPrefix(e.Name, entryObservation):
			res.Observations = append(res.Observations, observation{Name: e.Name, Value: v})
		}
	}
	return res
}

// decodeViolations accepts the value in-process (a guarantee.Violations)
// and rehydrated from report.json (decoded JSON): both re-encode to the
// same JSON.
func decodeViolations(e types.ReportEntry) []guarantee.Violation {
	raw, err := json.Marshal(e.GetRawValue())
	if err != nil {
		return nil
	}
	var vs []guarantee.Violation
	if json.Unmarshal(raw, &vs) == nil {
		return vs
	}
	var v guarantee.Violation
	if json.Unmarshal(raw, &v) == nil && v.Problem != "" {
		return []guarantee.Violation{v}
	}
	return nil
}

func (s *specResult) has(label string) bool { return slices.Contains(s.Labels, label) }

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
