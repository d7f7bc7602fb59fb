package selftest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Outcome is one breakage's run as the summary shows it: the verdict and
// where the time went. Err is set when the run could not be judged at
// all (the cluster was not made, the suite left no report).
type Outcome struct {
	Result
	Breaks      string        `json:"breaks"`
	LabelFilter string        `json:"labelFilter"`
	Cluster     time.Duration `json:"cluster"` // created, every node Ready, breakage applied
	Suite       time.Duration `json:"suite"`   // the ginkgo run
	Delete      time.Duration `json:"delete"`
	Err         string        `json:"error,omitempty"`
}

// Summary is the whole selftest.
type Summary struct {
	Passed   bool          `json:"passed"`
	Total    time.Duration `json:"total"`
	Outcomes []Outcome     `json:"breakages"`
}

// The files the selftest writes in its artifacts directory.
const (
	SummaryMarkdown = "summary.md"
	SummaryJSON     = "summary.json"
)

// NewSummary passes only if every breakage was detected.
func NewSummary(outcomes []Outcome, total time.Duration) Summary {
	s := Summary{Passed: len(outcomes) > 0, Total: total, Outcomes: outcomes}
	for _, o := range outcomes {
		if !o.Detected {
			s.Passed = false
		}
	}
	return s
}

// Write puts the summary in dir as Markdown and JSON.
func (s Summary) Write(dir string) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, SummaryJSON), append(data, '\n'), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, SummaryMarkdown), []byte(s.Markdown()), 0o644)
}

// Markdown renders the summary: a verdict line per breakage, then per
// breakage its specs with state, time to failure and first line.
func (s Summary) Markdown() string {
	var b strings.Builder
	verdict := "PASSED: every breakage was detected"
	if !s.Passed {
		verdict = "FAILED: not every breakage was detected"
	}
	fmt.Fprintf(&b, "# stsconform selftest: %s\n\nTotal %s.\n\n", verdict, s.Total.Round(time.Second))
	b.WriteString("| breakage | detected | specs failed | cluster | suite | delete |\n|---|---|---|---|---|---|\n")
	for _, o := range s.Outcomes {
		fmt.Fprintf(&b, "| %s | %s | %d of %d | %s | %s | %s |\n", o.Breakage, yesNo(o.Detected), o.failed(), len(o.Specs),
			o.Cluster.Round(time.Second), o.Suite.Round(time.Second), o.Delete.Round(time.Second))
	}
	for _, o := range s.Outcomes {
		fmt.Fprintf(&b, "\n## %s: %s\n\n%s. Specs: `--label-filter='%s'`.\n", o.Breakage, detectedWord(o.Detected), o.Breaks, o.LabelFilter)
		if o.Err != "" {
			fmt.Fprintf(&b, "\nNot judged: %s\n", o.Err)
		}
		for _, p := range o.Problems {
			fmt.Fprintf(&b, "\n- %s", p)
		}
		if len(o.Problems) > 0 {
			b.WriteString("\n")
		}
		if len(o.Specs) == 0 {
			continue
		}
		b.WriteString("\n| spec | state | failed after | run time | first line |\n|---|---|---|---|---|\n")
		for _, sp := range o.Specs {
			after := ""
			if sp.State == "failed" {
				after = sp.FailedAfter.Round(100 * time.Millisecond).String()
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", cell(sp.Text), sp.State, after, sp.RunTime.Round(100*time.Millisecond), cell(sp.FirstLine))
		}
	}
	return b.String()
}

func (o Outcome) failed() int {
	n := 0
	for _, s := range o.Specs {
		if s.State == "failed" {
			n++
		}
	}
	return n
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

func detectedWord(ok bool) string {
	if ok {
		return "detected"
	}
	return "NOT detected"
}

// cell keeps a table cell on one line.
func cell(s string) string {
	return strings.ReplaceAll(s, "|", `\|`)
}
