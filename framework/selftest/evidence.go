package selftest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/stsconform/stsconform/framework/report"
)

// Run is what a suite run left that the selftest judges: each spec from
// Ginkgo's report.json, each guarantee's verdict from certification.json.
type Run struct {
	Specs []Spec
	// Verdicts maps a guarantee's label to its verdict.
	Verdicts map[string]report.Verdict
	// Setup is the first line of a failed suite setup, "" if it passed.
	Setup string
}

// Spec is one It of the run.
type Spec struct {
	Text   string   `json:"spec"`
	Labels []string `json:"labels,omitempty"`
	// State is Ginkgo's: passed, failed, skipped, timedout, interrupted, ...
	State string `json:"state"`
	// FailedAfter is the time from the spec's start to its failure.
	FailedAfter time.Duration `json:"failedAfter,omitempty"`
	// RunTime includes the spec's cleanup (diagnostics, namespace deletion).
	RunTime   time.Duration `json:"runTime"`
	FirstLine string        `json:"firstLine,omitempty"`
}

// Load reads a run's evidence from its artifacts directory.
func Load(dir string) (Run, error) {
	var run Run
	raw, err := os.ReadFile(filepath.Join(dir, report.GinkgoReportFile))
	if err != nil {
		return run, fmt.Errorf("the run left no Ginkgo report: %w", err)
	}
	var reports []types.Report
	if err := json.Unmarshal(raw, &reports); err != nil {
		return run, fmt.Errorf("%s: %w", filepath.Join(dir, report.GinkgoReportFile), err)
	}
	for _, r := range reports {
		specs, setup := specsOf(r)
		run.Specs = append(run.Specs, specs...)
		if setup != "" {
			run.Setup = setup
		}
	}
	run.Verdicts, err = loadVerdicts(filepath.Join(dir, report.CertificationFile))
	return run, err
}

// specsOf turns Ginkgo's spec reports into Specs, and names a failed setup.
func specsOf(r types.Report) ([]Spec, string) {
	var specs []Spec
	setup := ""
	for _, s := range r.SpecReports {
		if s.LeafNodeType != types.NodeTypeIt {
			if s.State.Is(types.SpecStateFailureStates) {
				setup = fmt.Sprintf("%s %s: %s", s.LeafNodeType, s.State, firstLine(s.Failure.Message))
			}
			continue
		}
		spec := Spec{Text: s.FullText(), Labels: s.Labels(), State: s.State.String(), RunTime: s.RunTime}
		if s.State.Is(types.SpecStateFailureStates) {
			spec.FirstLine = firstLine(s.Failure.Message)
			if at := s.Failure.TimelineLocation.Time; !at.IsZero() && !s.StartTime.IsZero() {
				spec.FailedAfter = at.Sub(s.StartTime)
			} else {
				spec.FailedAfter = s.RunTime
			}
		}
		specs = append(specs, spec)
	}
	return specs, setup
}

// loadVerdicts reads the verdict of each guarantee from certification.json.
func loadVerdicts(path string) (map[string]report.Verdict, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("the run left no certification report: %w", err)
	}
	var c struct {
		Verdicts []struct {
			Label   string         `json:"label"`
			Verdict report.Verdict `json:"verdict"`
		} `json:"verdicts"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := map[string]report.Verdict{}
	for _, v := range c.Verdicts {
		out[v.Label] = v.Verdict
	}
	return out, nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
