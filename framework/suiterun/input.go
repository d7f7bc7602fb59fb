// Package suiterun builds and runs the suite's Ginkgo command line. One
// Input, with named defaults, serves every way the suite is started: make
// e2e (stsconform run on this host), stsconform selftest and the runner
// image's entrypoint (the in-cluster contract that stsconform run
// --in-cluster, hydrophone and Sonobuoy use), so that each passes the same
// flags, writes the same report files and names its run the same way.
// Modelled on cluster-api's test/framework/kubetest (one Run with an input
// struct).
package suiterun

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/stsconform/stsconform/framework/report"
)

// Process counts. Each context has its own default because each was
// measured in its own setting; they are named here and nowhere else.
const (
	// LocalProcs is for a run from this host (make e2e, stsconform run): on
	// two cores a third process overlaps more of the specs' waiting on
	// kubelets and the controller (29 specs in 7 min 43 s, against 8 min
	// 41 s with two); a fourth saves nothing (docs/performance.md).
	LocalProcs = 3
	// InClusterProcs is for the runner pod (run --in-cluster, hydrophone,
	// Sonobuoy): its processes run inside the cluster they test, on kind on
	// the control-plane node beside the API server and etcd they load, and
	// in-cluster runs were measured with two (docs/in-cluster.md).
	InClusterProcs = 2
	// SelftestProcs is for make selftest: each broken cluster has two
	// workers and runs a handful of specs, and the failure times its rules
	// allow were measured with two processes (docs/selftest.md).
	SelftestProcs = 2
)

// Suite timeouts (Ginkgo's --timeout): the whole run, after which Ginkgo
// interrupts it and the cleanups run.
const (
	// DefaultTimeout bounds a whole run of the suite: 29 specs take 8
	// minutes on an idle machine and up to twice that loaded.
	DefaultTimeout = 60 * time.Minute
	// SelftestTimeout bounds one breakage's specs.
	SelftestTimeout = 20 * time.Minute
)

// SuiteTags are the build tags of the suite's package.
const SuiteTags = "e2e"

// Report files Ginkgo writes into Input.OutputDir.
const (
	// JSONReportFile is what framework/report judges.
	JSONReportFile = report.GinkgoReportFile
	// JUnitFile is the JUnit report of a run from this host.
	JUnitFile = "junit.xml"
	// ConformanceJUnitFile is the JUnit report's name in Kubernetes'
	// conformance image, which hydrophone cats and Sonobuoy parses.
	ConformanceJUnitFile = "junit_01.xml"
)

// Input is one invocation of the suite through the Ginkgo CLI.
type Input struct {
	// Ginkgo starts the Ginkgo CLI: {"go", "tool", "ginkgo"} to build the
	// suite from source, or the CLI of the runner image.
	Ginkgo []string
	// Suite is the suite's package directory (built by Ginkgo with Tags
	// and LDFlags) or a precompiled test binary (Tags and LDFlags empty).
	Suite   string
	Tags    string
	LDFlags string
	// OutputDir is where Ginkgo writes JSONReportFile and JUnit (JUnitFile
	// when empty).
	OutputDir string
	JUnit     string
	Procs     int
	Timeout   time.Duration
	// LabelFilter, Focus and Skip select specs (Ginkgo's --label-filter,
	// --focus, --skip); empty: every spec.
	LabelFilter string
	Focus       string
	Skip        string
	NoColor     bool
	// DryRun lists the specs without running them; Ginkgo refuses a
	// parallel dry run, so Procs is then not passed.
	DryRun bool
	// GinkgoArgs are more Ginkgo flags, passed as given after the ones
	// above. A --procs (-p, --nodes) or --timeout among them replaces
	// Procs or Timeout instead of repeating it.
	GinkgoArgs []string
	// SuiteArgs are the suite's own flags, after "--".
	SuiteArgs []string
}

// Validate reports the first setting Ginkgo would refuse or misread, in
// one line naming the flag, before anything is started.
func (in Input) Validate() error {
	switch {
	case len(in.Ginkgo) == 0 || in.Ginkgo[0] == "":
		return errors.New("suite run: the Ginkgo command is required")
	case in.Suite == "":
		return errors.New("suite run: the suite (a package directory or a compiled test binary) is required")
	case in.OutputDir == "":
		return errors.New("suite run: the output directory for Ginkgo's reports is required")
	case !in.DryRun && !hasFlag(in.GinkgoArgs, procsFlags...) && in.Procs < 1:
		return fmt.Errorf("--procs %d: want at least 1 Ginkgo process", in.Procs)
	case !hasFlag(in.GinkgoArgs, timeoutFlag) && in.Timeout <= 0:
		return fmt.Errorf("--timeout %s: want a positive duration for the whole suite", in.Timeout)
	}
	if in.LabelFilter != "" {
		if _, err := types.ParseLabelFilter(in.LabelFilter); err != nil {
			return fmt.Errorf("label filter %q: %s", in.LabelFilter, firstLine(err.Error()))
		}
	}
	for _, re := range []struct{ flag, value string }{{"focus", in.Focus}, {"skip", in.Skip}} {
		if _, err := regexp.Compile(re.value); err != nil {
			return fmt.Errorf("--%s %q is not a regular expression: %v", re.flag, re.value, err)
		}
	}
	return nil
}

var procsFlags = []string{"procs", "nodes", "p"}

const timeoutFlag = "timeout"

// Args are the Ginkgo CLI's arguments (after Input.Ginkgo).
func (in Input) Args() []string {
	args := []string{"run"}
	if in.Tags != "" {
		args = append(args, "--tags="+in.Tags)
	}
	if in.LDFlags != "" {
		args = append(args, "--ldflags="+in.LDFlags)
	}
	if !hasFlag(in.GinkgoArgs, timeoutFlag) {
		args = append(args, "--timeout="+in.Timeout.String())
	}
	if in.DryRun {
		args = append(args, "--dry-run")
	} else if !hasFlag(in.GinkgoArgs, procsFlags...) {
		args = append(args, fmt.Sprintf("--procs=%d", in.Procs))
	}
	if in.NoColor {
		args = append(args, "--no-color")
	}
	for _, f := range []struct{ flag, value string }{{"label-filter", in.LabelFilter}, {"focus", in.Focus}, {"skip", in.Skip}} {
		if f.value != "" {
			args = append(args, "--"+f.flag+"="+f.value)
		}
	}
	junit := in.JUnit
	if junit == "" {
		junit = JUnitFile
	}
	args = append(args, "--json-report="+JSONReportFile, "--junit-report="+junit, "--output-dir="+in.OutputDir)
	args = append(args, in.GinkgoArgs...)
	args = append(args, in.Suite, "--")
	return append(args, in.SuiteArgs...)
}

// CommandLine is the whole command, Ginkgo included.
func (in Input) CommandLine() []string {
	return append(append([]string{}, in.Ginkgo...), in.Args()...)
}

// hasFlag reports whether args set one of the flags (-x, --x, -x=v, --x=v).
func hasFlag(args []string, names ...string) bool {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		for _, n := range names {
			if name == n {
				return true
			}
		}
	}
	return false
}

// SetsProcs reports whether Ginkgo flags choose the process count
// themselves (as hydrophone's --procs in E2E_EXTRA_GINKGO_ARGS does).
func SetsProcs(ginkgoArgs []string) bool { return hasFlag(ginkgoArgs, procsFlags...) }

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
