package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/stsconform/stsconform/framework/cluster"
	"github.com/stsconform/stsconform/framework/config"
	"github.com/stsconform/stsconform/framework/progress"
	"github.com/stsconform/stsconform/framework/report"
	"github.com/stsconform/stsconform/framework/suiterun"
)

// runFlags are what stsconform run was asked: the suite's selection and
// the cluster it runs on, from this host or from a pod of the cluster.
type runFlags struct {
	InCluster   bool
	Kubeconfig  string
	Artifacts   string
	ImagesFile  string
	Registry    string
	LabelFilter string
	Focus       string
	Skip        string
	Procs       int
	Timeout     time.Duration
	// GinkgoArgs and SuiteArgs are given after "--" (and a second "--").
	GinkgoArgs []string
	SuiteArgs  []string

	// A run from this host builds the suite from source with go tool
	// ginkgo and, without a kubeconfig, makes a kind cluster.
	KindConfig  string
	ClusterName string
	NodeImage   string
	// FeatureGates for a cluster the run creates ("Name=true,...").
	FeatureGates string
	KeepCluster  bool
	Suite        string
	GoTool       string
	LDFlags      string

	// Progress says when progress lines are printed (auto: when stdout
	// is a terminal).
	Progress string
	// timesFrom is the Ginkgo report whose spec times the progress
	// estimate uses (empty: the one in Artifacts, the last run's); quiet
	// leaves the verdicts unprinted (a re-run prints the merged ones).
	timesFrom string
	quiet     bool

	// Placement of the runner pod of an in-cluster run.
	Placement placementFlags

	// The runner pod of an in-cluster run.
	StartTimeout  time.Duration
	Unschedulable time.Duration
	Poll          time.Duration
}

func newRunCommand() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run [flags] [-- GINKGO_FLAG... [-- SUITE_FLAG...]]",
		Short: "Run the suite, from this host (make e2e) or from a pod of the cluster under test (--in-cluster)",
		Long: `run builds and runs the suite with Ginkgo (framework/suiterun builds the command
line), then renders the certification report into --artifacts once Ginkgo has
written its own reports, and exits with Ginkgo's exit status. From this host it
runs go tool ginkgo on --suite (run it from the repository root): on the
cluster of --kubeconfig, or on a kind cluster it makes from --kind-config (or
the one cluster-up kept). Flags after "--" go to Ginkgo; after a second "--",
to the suite (its timeouts: see framework/config).

run --in-cluster starts the runner image (make runner-image; the runner role of
the image mapping) as a Job in the cluster of --kubeconfig, with a ServiceAccount
bound to the suite's ClusterRole (fixtures/incluster/clusterrole.yaml) and
nothing more. It streams the suite's output, copies its results into
--artifacts (the files of a local run: JUnit, certification report, timelines,
diagnostics), deletes what it created and the specs' namespaces, also on
Ctrl-C, and exits non-zero when the suite failed. On a kind cluster that this
host's Docker runs, locally built images are side-loaded first; any other
cluster must pull them (stsconform images push, then --images).

Node failure needs this host to stop a kind node: in the cluster that spec is
skipped and reported "not verified". The runner's own node takes no workload,
so no spec drains, cordons or stops it. The runner pod prefers a control-plane
node; --runner-node-selector and --runner-toleration place it elsewhere.

Every flag is checked before any cluster is touched.`,
		Example: `  stsconform run --kubeconfig ~/.kube/config --label-filter 'Conformance && !Disruptive'
  stsconform run --procs 1 -- -v -- --timeout-dns=3m
  stsconform run --in-cluster --kubeconfig _artifacts/kubeconfig
  stsconform run --in-cluster --kubeconfig ~/.kube/config --images images.yaml --focus 'drain'
  stsconform run --in-cluster --kubeconfig ~/.kube/config --runner-node-selector pool=conformance --runner-toleration 'dedicated=conformance:NoSchedule'`,
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if f.GinkgoArgs, f.SuiteArgs, err = passThrough(cmd, args); err != nil {
				return err
			}
			if !cmd.Flags().Changed("procs") && f.InCluster {
				f.Procs = suiterun.InClusterProcs
			}
			return f.run(cmd)
		},
	}
	f.register(cmd)
	return cmd
}

func (f *runFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.BoolVar(&f.InCluster, "in-cluster", false, "run the suite from a pod of the cluster (the runner image) instead of from this host")
	fl.StringVar(&f.Kubeconfig, "kubeconfig", os.Getenv("KUBECONFIG"), "kubeconfig of the cluster to certify; from this host, empty: a kind cluster")
	fl.StringVar(&f.Artifacts, "artifacts", config.DefaultArtifacts, "directory for the results: reports, timelines, diagnostics")
	fl.StringVar(&f.ImagesFile, "images", "", "file mapping image roles (the runner's included) to references the cluster can pull")
	fl.StringVar(&f.Registry, "image-registry", "", "re-home every image, the runner's included, under this registry")
	fl.StringVar(&f.LabelFilter, "label-filter", "", "run only the specs whose labels match (Ginkgo's --label-filter), e.g. 'Conformance && !Disruptive'")
	fl.StringVar(&f.Focus, "focus", "", "run only the specs matching this regular expression (E2E_FOCUS)")
	fl.StringVar(&f.Skip, "skip", "", "skip the specs matching this regular expression (E2E_SKIP)")
	fl.IntVar(&f.Procs, "procs", suiterun.LocalProcs, fmt.Sprintf("parallel Ginkgo processes (from this host; in the runner pod the default is %d)", suiterun.InClusterProcs))
	fl.DurationVar(&f.Timeout, "timeout", suiterun.DefaultTimeout, "the whole suite's timeout")
	fl.StringVar(&f.Progress, "progress", string(progress.Auto), "progress lines (done of total, running specs, time left) at each spec's end and every 30s: auto (when stdout is a terminal), always or never")
	fl.StringVar(&f.KindConfig, "kind-config", config.DefaultKindConfig, "kind config of the cluster to create (no --kubeconfig)")
	fl.StringVar(&f.ClusterName, "cluster-name", config.DefaultClusterName, "name of the kind cluster to create or reuse")
	fl.StringVar(&f.NodeImage, "node-image", "", "kind node image; empty: kind's default")
	fl.StringVar(&f.FeatureGates, "feature-gates", "", "feature gates Name=true,... for every component of the kind cluster this run creates (a kept or given cluster keeps its own)")
	fl.BoolVar(&f.KeepCluster, "keep-cluster", false, "keep the kind cluster this run creates")
	fl.StringVar(&f.Suite, "suite", "./suites/statefulset", "the suite's package, built with go tool ginkgo (from this host)")
	fl.StringVar(&f.GoTool, "go", "go", "the go command that runs ginkgo (from this host)")
	fl.StringVar(&f.LDFlags, "ldflags", "", "-ldflags for the suite build, e.g. its version for the report (make e2e passes them)")
	fl.DurationVar(&f.StartTimeout, "timeout-start", 5*time.Minute, "in-cluster: the runner pod started (its image pulled)")
	fl.DurationVar(&f.Unschedulable, "timeout-unschedulable", time.Minute, "in-cluster: how long the runner pod may find no node")
	fl.DurationVar(&f.Poll, "poll-interval", 2*time.Second, "in-cluster: how often the runner pod is looked at")
	f.Placement.register(fl)
}

// run checks the flags, records them in the artifacts directory (for
// stsconform rerun) and runs the suite, from this host or in the cluster.
func (f *runFlags) run(cmd *cobra.Command) error {
	f.absolutize()
	if err := f.validate(); err != nil {
		return err
	}
	if err := writeRecord(cmd, f, f.Artifacts); err != nil {
		return err
	}
	if f.InCluster {
		return runInCluster(cmd.Context(), cmd.OutOrStdout(), *f)
	}
	return runLocal(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), *f)
}

// passThrough splits the arguments after "--": Ginkgo's flags, then,
// after a second "--", the suite's.
func passThrough(cmd *cobra.Command, args []string) (ginkgo, suite []string, err error) {
	if len(args) > 0 && cmd.ArgsLenAtDash() != 0 {
		return nil, nil, fmt.Errorf("unexpected argument %q: Ginkgo's and the suite's flags go after \"--\"", args[0])
	}
	if i := slices.Index(args, "--"); i >= 0 {
		return args[:i], args[i+1:], nil
	}
	return args, nil, nil
}

// validate checks every flag before any cluster or Docker work: one line
// naming the first bad one.
func (f *runFlags) validate() error {
	if err := f.suiteInput("stsconform-run-id").Validate(); err != nil {
		return err
	}
	if f.Artifacts == "" {
		return errors.New("--artifacts must name a directory")
	}
	if _, err := progress.ParseMode(f.Progress); err != nil {
		return err
	}
	if _, err := cluster.ParseFeatureGates(f.FeatureGates); err != nil {
		return fmt.Errorf("--feature-gates: %w", err)
	}
	if f.FeatureGates != "" && (f.Kubeconfig != "" || f.InCluster) {
		return errors.New("--feature-gates applies to a kind cluster the run creates; the cluster of --kubeconfig (or --in-cluster) keeps its own gates")
	}
	if _, err := (&config.Config{ImagesFile: f.ImagesFile, ImageRegistry: f.Registry}).Images(); err != nil {
		return err
	}
	if f.InCluster {
		return f.validateInCluster()
	}
	if f.Kubeconfig != "" {
		if _, err := os.Stat(f.Kubeconfig); err != nil {
			return fmt.Errorf("--kubeconfig %s: %w", f.Kubeconfig, err)
		}
	} else if _, err := cluster.ValidateKindConfig(f.KindConfig); err != nil {
		return err
	}
	if _, err := os.Stat(f.Suite); err != nil {
		return fmt.Errorf("--suite %s: %v (run stsconform run from the repository root, or give --suite)", f.Suite, err)
	}
	return nil
}

// suiteInput is the Ginkgo invocation of a run from this host.
func (f *runFlags) suiteInput(runID string) suiterun.Input {
	abs := func(p string) string {
		if a, err := filepath.Abs(p); err == nil && p != "" {
			return a
		}
		return p
	}
	// The suite's processes run in its package directory: every path it
	// is given is absolute.
	artifacts := abs(f.Artifacts)
	args := []string{"--artifacts=" + artifacts, "--run-id=" + runID, "--kind-config=" + abs(f.KindConfig),
		"--cluster-name=" + f.ClusterName, "--node-image=" + f.NodeImage, fmt.Sprintf("--keep-cluster=%t", f.KeepCluster)}
	if f.FeatureGates != "" {
		args = append(args, "--feature-gates="+f.FeatureGates)
	}
	if f.Kubeconfig != "" {
		args = append(args, "--kubeconfig="+abs(f.Kubeconfig))
	}
	if f.ImagesFile != "" {
		args = append(args, "--images="+abs(f.ImagesFile))
	}
	if f.Registry != "" {
		args = append(args, "--image-registry="+f.Registry)
	}
	return suiterun.Input{
		Ginkgo: []string{f.GoTool, "tool", "ginkgo"}, Suite: f.Suite, Tags: suiterun.SuiteTags, LDFlags: f.LDFlags,
		OutputDir: artifacts, Procs: f.Procs, Timeout: f.Timeout,
		LabelFilter: f.LabelFilter, Focus: f.Focus, Skip: f.Skip,
		GinkgoArgs: f.GinkgoArgs, SuiteArgs: append(args, f.SuiteArgs...),
	}
}

// localInterruptGrace is how long an interrupted run from this host may
// clean up: its specs' namespaces, then the cluster it made.
func localInterruptGrace() time.Duration {
	t := config.DefaultTimeouts()
	return t.Cleanup + t.ClusterDelete + t.Slack
}

// runLocal runs the suite from this host and renders the report again
// once Ginkgo has written report.json and the JUnit, so that its manifest
// lists them. The suite's exit status is the command's, whatever the
// rendering does.
func runLocal(ctx context.Context, stdout, stderr io.Writer, f runFlags) error {
	if err := os.MkdirAll(f.Artifacts, 0o755); err != nil {
		return err
	}
	in := f.suiteInput(suiterun.NewRunID())
	out, stop := f.watchProgress(ctx, stdout, "")
	code, err := suiterun.Run(ctx, in, suiterun.Exec{Stdout: out, Stderr: stderr, OwnGroup: true, Grace: localInterruptGrace()})
	stop()
	if err != nil {
		return err
	}
	verdicts := stdout
	if f.quiet {
		verdicts = io.Discard
	}
	if rerr := renderReport(verdicts, f.Artifacts, reportFlags{}); rerr != nil {
		fmt.Fprintf(stderr, "stsconform run: rendering the report failed: %v; the report the suite wrote stays in %s\n", rerr, f.Artifacts)
	}
	return suiteExit(code, f.Artifacts)
}

// watchProgress prints progress lines between Ginkgo's output when
// --progress asks for them, with the estimate from the spec times of the
// run the artifacts directory holds (the last one), if any. It returns
// where Ginkgo's output goes, and what stops the lines.
func (f *runFlags) watchProgress(ctx context.Context, stdout io.Writer, prefix string) (io.Writer, func()) {
	dir := filepath.Join(f.Artifacts, progress.Dir)
	// What an earlier run left would be read as this run's.
	_ = progress.Reset(dir)
	mode, _ := progress.ParseMode(f.Progress)
	if !mode.On(stdout) {
		return stdout, func() {}
	}
	last, _ := progress.TimesFromReport(f.lastReport())
	p := progress.NewPrinter(stdout)
	return p, progress.Watch(ctx, progress.WatchInput{Dir: dir, Print: p.Println, Prefix: prefix + "progress: ", Last: last})
}

// lastReport is the Ginkgo report of the last run, for its spec times.
func (f *runFlags) lastReport() string {
	if f.timesFrom != "" {
		return f.timesFrom
	}
	return filepath.Join(f.Artifacts, suiterun.JSONReportFile)
}

// suiteExit is the command's result for Ginkgo's exit code: nil, or an
// error that exits with that same code.
func suiteExit(code int, artifacts string) error {
	if code == 0 {
		return nil
	}
	return exitError{code: code, err: fmt.Errorf("the suite failed (Ginkgo exit status %d); see %s", code, filepath.Join(artifacts, report.HTMLFile))}
}

// exitError makes main exit with the code of the suite it reports.
type exitError struct {
	code int
	err  error
}

func (e exitError) Error() string { return e.err.Error() }
func (e exitError) ExitCode() int { return e.code }

// oneWord refuses an argument that a conformance image's E2E_EXTRA_*
// variable, split on whitespace, would cut in two.
func oneWord(variable string, args []string) (string, error) {
	for _, a := range args {
		if strings.ContainsFunc(a, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' }) {
			return "", fmt.Errorf("in-cluster: %q holds a space, and the runner image's %s is split on whitespace", a, variable)
		}
	}
	return strings.Join(args, " "), nil
}
