// Package incluster runs the suite from a pod of the cluster under test.
// One image serves three runners with one contract, that of Kubernetes'
// conformance image: stsconform's own Job (stsconform run --in-cluster),
// hydrophone and Sonobuoy. The entrypoint reads the E2E_* variables, runs
// the precompiled suite with Ginkgo, tees its output to e2e.log, writes
// junit_01.xml and the certification report into the results directory,
// tars it and writes the done file.
package incluster

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/stsconform/stsconform/incluster/layout"
)

// Files of the results directory that the runners read by name.
const (
	LogFile     = "e2e.log"      // hydrophone cats it
	JUnitFile   = "junit_01.xml" // hydrophone cats it; Sonobuoy parses it
	ArchiveFile = "e2e.tar.gz"   // the whole results directory
	DoneFile    = "done"         // Sonobuoy's worker waits for it; holds ArchiveFile's path
	ReportFile  = "report.json"  // Ginkgo's JSON report (framework/report reads it)
	Collected   = ".collected"   // stsconform run touches it once it has copied the results
)

// UpstreamConformanceFocus is the focus hydrophone and Sonobuoy give by
// default (Kubernetes' spec texts carry "[Conformance]"). stsconform marks
// its conformance specs with the Ginkgo label instead, so this focus is
// read as --label-filter=Conformance.
const UpstreamConformanceFocus = `\[Conformance\]`

// DefaultProcs is how many Ginkgo processes run when nothing says.
const DefaultProcs = 2

// Plan is what the entrypoint runs, decided from the environment.
type Plan struct {
	ResultsDir string
	Args       []string // the Ginkgo CLI's arguments
	Notes      []string // what the entrypoint decided and why, printed first
}

// PlanFrom reads the conformance image's variables through getenv:
// RESULTS_DIR, E2E_FOCUS, E2E_SKIP, E2E_PARALLEL, E2E_DRYRUN,
// E2E_EXTRA_ARGS (suite flags) and E2E_EXTRA_GINKGO_ARGS.
func PlanFrom(getenv func(string) string) (Plan, error) {
	p := Plan{ResultsDir: getenv("RESULTS_DIR")}
	if p.ResultsDir == "" {
		p.ResultsDir = layout.ResultsDir
	}
	ginkgoExtra := strings.Fields(getenv("E2E_EXTRA_GINKGO_ARGS"))
	args := []string{"run", "--no-color", "--junit-report=" + JUnitFile, "--json-report=" + ReportFile, "--output-dir=" + p.ResultsDir}
	dryRun, _ := strconv.ParseBool(getenv("E2E_DRYRUN"))
	if dryRun {
		// Ginkgo refuses a parallel dry run.
		args = append(args, "--dry-run")
	} else if !hasFlag(ginkgoExtra, "procs", "nodes", "p") {
		procs, note, err := procsFrom(getenv("E2E_PARALLEL"))
		if err != nil {
			return Plan{}, err
		}
		args = append(args, fmt.Sprintf("--procs=%d", procs))
		p.Notes = append(p.Notes, note)
	}
	switch focus := getenv("E2E_FOCUS"); focus {
	case "":
	case UpstreamConformanceFocus:
		args = append(args, "--label-filter=Conformance")
		p.Notes = append(p.Notes, "E2E_FOCUS="+focus+" (the runners' default) runs the specs labelled Conformance")
	default:
		args = append(args, "--focus="+focus)
	}
	if skip := getenv("E2E_SKIP"); skip != "" {
		args = append(args, "--skip="+skip)
	}
	if getenv("KUBE_TEST_REPO_LIST") != "" || getenv("KUBE_TEST_REPO") != "" {
		p.Notes = append(p.Notes, "KUBE_TEST_REPO_LIST and KUBE_TEST_REPO map upstream's images and are ignored: give stsconform's image roles with --images or --image-registry in E2E_EXTRA_ARGS")
	}
	args = append(args, ginkgoExtra...)
	args = append(args, layout.Suite, "--", "--in-cluster", "--artifacts="+p.ResultsDir)
	p.Args = append(args, strings.Fields(getenv("E2E_EXTRA_ARGS"))...)
	return p, nil
}

// procsFrom reads E2E_PARALLEL: a number of processes, or the conformance
// image's y/true (Ginkgo's default parallelism there; here DefaultProcs).
func procsFrom(v string) (int, string, error) {
	switch strings.ToLower(v) {
	case "", "y", "yes", "true":
		return DefaultProcs, fmt.Sprintf("%d Ginkgo processes (E2E_PARALLEL=%q)", DefaultProcs, v), nil
	case "n", "no", "false":
		return 1, "1 Ginkgo process (E2E_PARALLEL=" + v + ")", nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, "", fmt.Errorf("E2E_PARALLEL=%q: want a number of processes or y/n", v)
	}
	return n, fmt.Sprintf("%d Ginkgo processes (E2E_PARALLEL)", n), nil
}

// hasFlag reports whether args set one of the flags (-x, --x, -x=v, --x=v).
func hasFlag(args []string, names ...string) bool {
	for _, a := range args {
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		for _, n := range names {
			if strings.HasPrefix(a, "-") && name == n {
				return true
			}
		}
	}
	return false
}
