// Package bench measures where a whole run's time went, phase by phase,
// from Ginkgo's report.json, and summarises several runs of the same suite
// on one cluster by their medians: a change's effect is then a ratio
// measured in one sitting, not a figure compared across days on a noisy
// machine (hack/bench.sh, docs/performance.md).
package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

// Phase names, in the order a run goes through them.
const (
	// BringUp is SynchronizedBeforeSuite: the cluster made or checked, the
	// test images loaded, storage installed.
	BringUp = "bring-up"
	// Parallel is the span of the specs that are not Serial, which Ginkgo
	// runs on all its processes.
	Parallel = "parallel specs"
	// Serial is the span of the Serial (disruptive) specs, which Ginkgo
	// runs on process 1 once every other spec has ended.
	Serial = "serial specs"
	// Teardown is the suite's after-suite nodes: cleanup, reports.
	Teardown = "teardown"
	// Total is Ginkgo's own run time of the suite.
	Total = "suite total"
)

// Phases lists the phase names in report order.
var Phases = []string{BringUp, Parallel, Serial, Teardown, Total}

// Run is one run's phase durations; a phase the run did not have (no
// Serial spec ran) is absent.
type Run map[string]time.Duration

// span is the time from the earliest start to the latest end of the
// spec reports that match.
func span(specs types.SpecReports, match func(types.SpecReport) bool) (time.Duration, bool) {
	var start, end time.Time
	for _, s := range specs {
		if !match(s) || s.State == types.SpecStateSkipped || s.StartTime.IsZero() || s.EndTime.IsZero() {
			continue
		}
		if start.IsZero() || s.StartTime.Before(start) {
			start = s.StartTime
		}
		if s.EndTime.After(end) {
			end = s.EndTime
		}
	}
	if start.IsZero() {
		return 0, false
	}
	return end.Sub(start), true
}

// latestEnd is the latest end of the spec reports that match.
func latestEnd(specs types.SpecReports, match func(types.SpecReport) bool) time.Time {
	var end time.Time
	for _, s := range specs {
		if match(s) && s.State != types.SpecStateSkipped && s.EndTime.After(end) {
			end = s.EndTime
		}
	}
	return end
}

// Measure splits one suite report into its phases.
func Measure(r types.Report) Run {
	run := Run{}
	if r.RunTime > 0 {
		run[Total] = r.RunTime
	}
	leaf := func(kinds types.NodeType) func(types.SpecReport) bool {
		return func(s types.SpecReport) bool { return s.LeafNodeType.Is(kinds) }
	}
	it := func(serial bool) func(types.SpecReport) bool {
		return func(s types.SpecReport) bool { return s.LeafNodeType.Is(types.NodeTypeIt) && s.IsSerial == serial }
	}
	for name, match := range map[string]func(types.SpecReport) bool{
		BringUp:  leaf(types.NodeTypeBeforeSuite | types.NodeTypeSynchronizedBeforeSuite),
		Parallel: it(false),
		Serial:   it(true),
	} {
		if d, ok := span(r.SpecReports, match); ok {
			run[name] = d
		}
	}
	// Teardown runs from the end of the last spec: every process starts its
	// part of SynchronizedAfterSuite as soon as it runs out of specs, and
	// then waits for the others, so the after-suite nodes' own span would
	// count the serial phase too.
	lastSpec, lastAfter := latestEnd(r.SpecReports, leaf(types.NodeTypeIt)), latestEnd(r.SpecReports, leaf(types.NodeTypeAfterSuite|types.NodeTypeSynchronizedAfterSuite|types.NodeTypeReportAfterSuite|types.NodeTypeCleanupAfterSuite))
	if !lastSpec.IsZero() && lastAfter.After(lastSpec) {
		run[Teardown] = lastAfter.Sub(lastSpec)
	}
	return run
}

// ReadRun measures the run whose artifacts are in dir (its report.json,
// one suite).
func ReadRun(dir string) (Run, error) {
	path := filepath.Join(dir, "report.json")
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var suites []types.Report
	if err := json.Unmarshal(b, &suites); err != nil {
		return nil, fmt.Errorf("%s: not a Ginkgo JSON report: %w", path, err)
	}
	if len(suites) != 1 {
		return nil, fmt.Errorf("%s: holds %d suite reports, want 1", path, len(suites))
	}
	return Measure(suites[0]), nil
}

// Summary is each phase's median and range over several runs.
type Summary struct {
	Phase            string
	Runs             int
	Median, Min, Max time.Duration
}

// Summarize gives the median of each phase over the runs that had it, in
// Phases' order. With an even number of runs the median is the mean of
// the middle two.
func Summarize(runs []Run) []Summary {
	var out []Summary
	for _, p := range Phases {
		var ds []time.Duration
		for _, r := range runs {
			if d, ok := r[p]; ok {
				ds = append(ds, d)
			}
		}
		if len(ds) == 0 {
			continue
		}
		slices.Sort(ds)
		m := ds[len(ds)/2]
		if len(ds)%2 == 0 {
			m = (ds[len(ds)/2-1] + ds[len(ds)/2]) / 2
		}
		out = append(out, Summary{Phase: p, Runs: len(ds), Median: m, Min: ds[0], Max: ds[len(ds)-1]})
	}
	return out
}

// Write prints the summaries as a Markdown table, seconds rounded, ready
// for docs/performance.md.
func Write(w io.Writer, sums []Summary) error {
	if _, err := fmt.Fprintln(w, "| phase | runs | median | range |\n|---|---|---|---|"); err != nil {
		return err
	}
	for _, s := range sums {
		r := func(d time.Duration) time.Duration { return d.Round(time.Second) }
		if _, err := fmt.Fprintf(w, "| %s | %d | %v | %v–%v |\n", s.Phase, s.Runs, r(s.Median), r(s.Min), r(s.Max)); err != nil {
			return err
		}
	}
	return nil
}
