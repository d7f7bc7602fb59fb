package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

// RerunFile, in the artifacts directory of a certification merged from
// re-runs (stsconform rerun), records the attempts that made it and what
// each re-run spec did in each. Each attempt's own results are kept under
// its Dir; the directory's top holds the merged ones.
const RerunFile = "rerun.json"

// rerunSchema versions RerunFile.
const rerunSchema = 1

// Rerun is the history of a merged certification.
type Rerun struct {
	SchemaVersion int         `json:"schemaVersion"`
	Attempts      []Attempt   `json:"attempts"`
	Specs         []RerunSpec `json:"specs"`
}

// Attempt is one run that contributed to the certification: the first,
// then each re-run.
type Attempt struct {
	Number int `json:"number"`
	// Dir holds the attempt's own results, relative to the artifacts
	// directory (attempts/N).
	Dir     string    `json:"dir"`
	RunID   string    `json:"runID,omitempty"`
	Started time.Time `json:"started"`
	Seconds float64   `json:"seconds"`
	// Focus selected the re-run's specs (empty for the first attempt).
	Focus string `json:"focus,omitempty"`
	// Specs is how many specs it ran (a re-run: those it re-ran).
	Specs int `json:"specs"`
	// Problems are its failures outside any spec (setup, teardown) and
	// Ginkgo's reasons for failing it.
	Problems []string `json:"problems,omitempty"`
}

// RerunSpec is one spec that was re-run, with its outcome in every
// attempt that ran it, the first included.
type RerunSpec struct {
	Spec     string        `json:"spec"`
	Attempts []SpecAttempt `json:"attempts"`
	// Flaky: it passed in the last attempt after failing in an earlier
	// one. Its guarantee counts it as passed, and says so.
	Flaky bool `json:"flaky"`
}

// SpecAttempt is what a spec did in one attempt.
type SpecAttempt struct {
	Attempt int     `json:"attempt"`
	State   string  `json:"state"`
	Reason  string  `json:"reason,omitempty"` // the failure's or the skip's first line
	Seconds float64 `json:"seconds"`
}

// Outcome is a spec's outcome in an attempt, from its Ginkgo report.
func Outcome(attempt int, s types.SpecReport) SpecAttempt {
	return SpecAttempt{Attempt: attempt, State: s.State.String(), Reason: firstLine(s.Failure.Message), Seconds: s.RunTime.Seconds()}
}

// Failed reports whether the spec failed in this attempt: failed, timed
// out, panicked or aborted. Interrupted is not among them: the run was
// stopped, the spec did not fail.
func (a SpecAttempt) Failed() bool {
	for _, st := range []types.SpecState{types.SpecStateFailed, types.SpecStateTimedout, types.SpecStatePanicked, types.SpecStateAborted} {
		if a.State == st.String() {
			return true
		}
	}
	return false
}

// ReadRerun loads dir's RerunFile; nil when there is none (the
// directory holds a single run).
func ReadRerun(dir string) (*Rerun, error) {
	data, err := os.ReadFile(filepath.Join(dir, RerunFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var r Rerun
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("decoding %s: %w", RerunFile, err)
	}
	if r.SchemaVersion > rerunSchema {
		return nil, fmt.Errorf("%s has schemaVersion %d; this build reads up to %d", RerunFile, r.SchemaVersion, rerunSchema)
	}
	return &r, nil
}

// Write saves the history into dir.
func (r *Rerun) Write(dir string) error {
	r.SchemaVersion = rerunSchema
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, RerunFile), append(data, '\n'), 0o644)
}

// SuiteProblems are a run's failures outside any spec and Ginkgo's own
// reasons for failing it, as the report lists them.
func SuiteProblems(g types.Report) []string { return suiteProblems(g) }

// EntryPath is a path recorded in a report entry (on this machine or
// another), relative to the artifacts directory as the report links it.
func EntryPath(artifactsDir, p string) string { return relToArtifacts(artifactsDir, p) }

// applyRerun marks what the history says on the judged run: each flaky
// spec in its guarantees' reasons and in the run's, never hidden behind
// the pass that came last.
func (r *Report) applyRerun(h *Rerun) {
	r.rerun = h
	var flaky []string
	for _, s := range h.Specs {
		if !s.Flaky {
			continue
		}
		first := s.Attempts[0]
		note := fmt.Sprintf("\"%s\" %s in attempt %d (%s) and passed when re-run", s.Spec, first.State, first.Attempt, clip(first.Reason, 160))
		flaky = append(flaky, note)
		for _, g := range r.guarantees {
			for _, spec := range g.Specs {
				if spec.Text == s.Spec {
					g.Reason += "; flaky: " + note
				}
			}
		}
	}
	if len(flaky) > 0 {
		r.reasons = append(r.reasons, fmt.Sprintf("%d spec(s) passed only when re-run (flaky): %s", len(flaky), strings.Join(flaky, "; ")))
	}
}

// rerunView is the history as the templates show it.
type rerunView struct {
	Attempts []attemptView
	Specs    []rerunSpecView
	Flaky    int
}

type attemptView struct {
	Number   int
	RunID    string
	Started  string
	Duration string
	Specs    int
	Focus    string
	Report   string // the attempt's report.html, relative
	Problems []string
}

type rerunSpecView struct {
	Spec     string
	Flaky    bool
	Attempts []specAttemptView
}

type specAttemptView struct {
	Attempt  int
	State    string
	Class    string // the pill's CSS class
	Duration string
	Reason   string
}

func (h *Rerun) view() *rerunView {
	if h == nil {
		return nil
	}
	v := &rerunView{}
	for _, a := range h.Attempts {
		v.Attempts = append(v.Attempts, attemptView{
			Number: a.Number, RunID: a.RunID, Started: stampUTC(a.Started), Duration: seconds(a.Seconds).Round(time.Second).String(),
			Specs: a.Specs, Focus: a.Focus, Report: a.Dir + "/" + HTMLFile, Problems: a.Problems,
		})
	}
	for _, s := range h.Specs {
		sv := rerunSpecView{Spec: s.Spec, Flaky: s.Flaky}
		for _, a := range s.Attempts {
			class := string(notRun)
			switch {
			case a.State == types.SpecStatePassed.String():
				class = string(passed)
			case a.Failed():
				class = string(failed)
			}
			sv.Attempts = append(sv.Attempts, specAttemptView{Attempt: a.Attempt, State: a.State, Class: strings.ReplaceAll(class, " ", "-"),
				Duration: specDuration(seconds(a.Seconds)), Reason: a.Reason})
		}
		if s.Flaky {
			v.Flaky++
		}
		v.Specs = append(v.Specs, sv)
	}
	return v
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
