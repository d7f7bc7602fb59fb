// Package incluster runs the suite from a pod of the cluster under test.
// One image serves three runners with one contract, that of Kubernetes'
// conformance image: stsconform's own Job (stsconform run --in-cluster),
// hydrophone and Sonobuoy. The entrypoint reads the E2E_* variables, runs
// the precompiled suite with Ginkgo, tees its output to e2e.log, writes
// junit_01.xml and the certification report into the results directory,
// tars it and writes the done file.
package incluster

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/stsconform/stsconform/framework/progress"
	"github.com/stsconform/stsconform/framework/suiterun"
	"github.com/stsconform/stsconform/incluster/layout"
)

// Files of the results directory that the runners read by name.
const (
	LogFile     = "e2e.log"                     // hydrophone cats it
	JUnitFile   = suiterun.ConformanceJUnitFile // hydrophone cats it; Sonobuoy parses it
	ArchiveFile = "e2e.tar.gz"                  // the whole results directory
	DoneFile    = "done"                        // Sonobuoy's worker waits for it; holds ArchiveFile's path
	ReportFile  = suiterun.JSONReportFile       // Ginkgo's JSON report (framework/report reads it)
	Collected   = ".collected"                  // stsconform run touches it once it has copied the results
)

// UpstreamConformanceFocus is the focus hydrophone and Sonobuoy give by
// default (Kubernetes' spec texts carry "[Conformance]"). stsconform marks
// its conformance specs with the Ginkgo label instead, so this focus is
// read as --label-filter=Conformance.
const UpstreamConformanceFocus = `\[Conformance\]`

// LabelFilterEnv is stsconform's addition to the conformance image's
// variables: Ginkgo's --label-filter, which E2E_EXTRA_GINKGO_ARGS cannot
// carry (it is split on whitespace, and a filter has spaces).
const LabelFilterEnv = "E2E_LABEL_FILTER"

// ProgressEnv and ProgressTimesEnv are stsconform's own: whether the
// runner prints progress lines in its log (never, or always: the
// default, since a pod's log has no terminal to ask and people read it,
// through hydrophone, which prints progress of its own unless told not
// to, or kubectl logs), and a file of the last run's spec times
// (progress.Times) for the estimate of what is left.
const (
	ProgressEnv      = "STSCONFORM_PROGRESS"
	ProgressTimesEnv = "STSCONFORM_PROGRESS_TIMES"
)

// Variables are the conformance image's inputs a runner passes, in the
// order a pod spec lists them.
var Variables = []string{"E2E_FOCUS", "E2E_SKIP", LabelFilterEnv, "E2E_PARALLEL", "E2E_EXTRA_GINKGO_ARGS", "E2E_EXTRA_ARGS"}

// Plan is what the entrypoint runs, decided from the environment.
type Plan struct {
	ResultsDir string
	// Suite is the Ginkgo invocation; Run fills in the Ginkgo CLI.
	Suite suiterun.Input
	Notes []string // what the entrypoint decided and why, printed first
	// Progress is whether progress lines go to the log; Times are the
	// last run's spec times (nil: none given).
	Progress bool
	Times    progress.Times
}

// PlanFrom reads the conformance image's variables through getenv:
// RESULTS_DIR, E2E_FOCUS, E2E_SKIP, E2E_LABEL_FILTER, E2E_PARALLEL,
// E2E_DRYRUN, E2E_EXTRA_ARGS (suite flags) and E2E_EXTRA_GINKGO_ARGS.
func PlanFrom(getenv func(string) string) (Plan, error) {
	p := Plan{ResultsDir: getenv("RESULTS_DIR")}
	if p.ResultsDir == "" {
		p.ResultsDir = layout.ResultsDir
	}
	in := suiterun.Input{
		Ginkgo: []string{layout.Ginkgo}, Suite: layout.Suite, OutputDir: p.ResultsDir, JUnit: JUnitFile,
		Timeout: suiterun.DefaultTimeout, Skip: getenv("E2E_SKIP"), LabelFilter: getenv(LabelFilterEnv),
		// hydrophone reads e2e.log for Ginkgo's uncoloured "Will run N of M specs".
		NoColor:    true,
		GinkgoArgs: strings.Fields(getenv("E2E_EXTRA_GINKGO_ARGS")),
	}
	in.DryRun, _ = strconv.ParseBool(getenv("E2E_DRYRUN"))
	if !in.DryRun && !suiterun.SetsProcs(in.GinkgoArgs) {
		procs, note, err := procsFrom(getenv("E2E_PARALLEL"))
		if err != nil {
			return Plan{}, err
		}
		in.Procs = procs
		p.Notes = append(p.Notes, note)
	}
	switch focus := getenv("E2E_FOCUS"); focus {
	case UpstreamConformanceFocus:
		if in.LabelFilter == "" {
			in.LabelFilter = "Conformance"
		} else {
			in.LabelFilter = "Conformance && (" + in.LabelFilter + ")"
		}
		p.Notes = append(p.Notes, "E2E_FOCUS="+focus+" (the runners' default) runs the specs labelled Conformance")
	default:
		in.Focus = focus
	}
	if getenv("KUBE_TEST_REPO_LIST") != "" || getenv("KUBE_TEST_REPO") != "" {
		p.Notes = append(p.Notes, "KUBE_TEST_REPO_LIST and KUBE_TEST_REPO map upstream's images and are ignored: give stsconform's image roles with --images or --image-registry in E2E_EXTRA_ARGS")
	}
	in.SuiteArgs = append([]string{"--in-cluster", "--artifacts=" + p.ResultsDir}, strings.Fields(getenv("E2E_EXTRA_ARGS"))...)
	if err := in.Validate(); err != nil {
		return Plan{}, fmt.Errorf("in-cluster run: %w", err)
	}
	p.Suite = in
	switch v := getenv(ProgressEnv); v {
	case "", string(progress.Always), string(progress.Auto):
		p.Progress = true
	case string(progress.Never):
	default:
		return Plan{}, fmt.Errorf("%s=%q: want always or never", ProgressEnv, v)
	}
	if f := getenv(ProgressTimesEnv); f != "" && p.Progress {
		data, err := os.ReadFile(f)
		if err == nil {
			err = json.Unmarshal(data, &p.Times)
		}
		if err != nil {
			// Only the estimate suffers: it falls back to this run's pace.
			p.Notes = append(p.Notes, fmt.Sprintf("the last run's spec times are not used (%s: %v)", ProgressTimesEnv, err))
		}
	}
	return p, nil
}

// procsFrom reads E2E_PARALLEL: a number of processes, or the conformance
// image's y/true (Ginkgo's default parallelism there; here
// suiterun.InClusterProcs).
func procsFrom(v string) (int, string, error) {
	switch strings.ToLower(v) {
	case "", "y", "yes", "true":
		return suiterun.InClusterProcs, fmt.Sprintf("%d Ginkgo processes (E2E_PARALLEL=%q)", suiterun.InClusterProcs, v), nil
	case "n", "no", "false":
		return 1, "1 Ginkgo process (E2E_PARALLEL=" + v + ")", nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, "", fmt.Errorf("E2E_PARALLEL=%q: want a number of processes or y/n", v)
	}
	return n, fmt.Sprintf("%d Ginkgo processes (E2E_PARALLEL)", n), nil
}
