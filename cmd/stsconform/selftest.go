package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/stsconform/stsconform/framework/cluster"
	"github.com/stsconform/stsconform/framework/config"
	"github.com/stsconform/stsconform/framework/kube"
	"github.com/stsconform/stsconform/framework/selftest"
	"github.com/stsconform/stsconform/framework/suiterun"
)

type selftestOptions struct {
	image, artifacts, suite, goTool string
	procs                           int
	only                            []string
	suiteTimeout                    time.Duration
	timeouts                        config.Timeouts
}

func newSelftestCommand() *cobra.Command {
	var o selftestOptions
	o.timeouts = config.DefaultTimeouts()
	cmd := &cobra.Command{
		Use:   "selftest",
		Short: "Run the suite against clusters broken on purpose; pass only if each breakage is detected",
		Long: `For each breakage of fixtures/selftest (framework/selftest says what each
must make fail), create the kind cluster ` + selftest.ClusterName + ` from its kind
config, apply its manifest, run the specs it concerns with ginkgo against that
cluster, judge the run's report.json and certification.json, and delete the
cluster (also on Ctrl-C). Writes summary.md and summary.json to --artifacts,
and each run's artifacts to --artifacts/<breakage>/. Exits non-zero unless
every breakage was detected by the right specs, with the right first line, in
time, and no guarantee it violates was verified.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSelftest(cmd.Context(), o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.image, "image", "", "node image; empty: kind's default")
	f.StringVar(&o.artifacts, "artifacts", filepath.Join(config.DefaultArtifacts, "selftest"), "where the summary and each breakage's artifacts go")
	f.StringVar(&o.suite, "suite", "./suites/statefulset", "the suite's package, run with go tool ginkgo")
	f.StringVar(&o.goTool, "go", "go", "the go command that runs ginkgo")
	f.IntVar(&o.procs, "procs", suiterun.SelftestProcs, "ginkgo processes")
	f.StringSliceVar(&o.only, "only", nil, "run only these breakages (names of fixtures/selftest)")
	f.DurationVar(&o.suiteTimeout, "timeout-suite", suiterun.SelftestTimeout, "one breakage's ginkgo run")
	f.DurationVar(&o.timeouts.ClusterCreate, "timeout-cluster-create", o.timeouts.ClusterCreate, "one kind cluster creation (a failed one is retried once)")
	f.DurationVar(&o.timeouts.NodesReady, "timeout-nodes-ready", o.timeouts.NodesReady, "every node of the kind config registered and Ready after creation")
	return cmd
}

// suiteInput is the Ginkgo invocation of one breakage's specs, against
// the cluster of kubeconfig, as make e2e runs with KUBECONFIG.
func (o selftestOptions) suiteInput(b selftest.Breakage, dir, kubeconfig string) suiterun.Input {
	return suiterun.Input{
		Ginkgo: []string{o.goTool, "tool", "ginkgo"}, Suite: o.suite, Tags: suiterun.SuiteTags, OutputDir: dir,
		Procs: o.procs, Timeout: o.suiteTimeout, LabelFilter: b.LabelFilter, NoColor: true,
		SuiteArgs: []string{"--kubeconfig=" + kubeconfig, "--artifacts=" + dir},
	}
}

// validate refuses bad flags before any cluster is made: each breakage's
// invocation, and the waits of the clusters.
func (o selftestOptions) validate(breakages []selftest.Breakage) error {
	for _, d := range []struct {
		flag string
		v    time.Duration
	}{{"timeout-suite", o.suiteTimeout}, {"timeout-cluster-create", o.timeouts.ClusterCreate}, {"timeout-nodes-ready", o.timeouts.NodesReady}} {
		if d.v <= 0 {
			return fmt.Errorf("--%s %s: want a positive duration", d.flag, d.v)
		}
	}
	for _, b := range breakages {
		if err := o.suiteInput(b, o.artifacts, "kubeconfig").Validate(); err != nil {
			return err
		}
	}
	if _, err := os.Stat(o.suite); err != nil {
		return fmt.Errorf("--suite %s: %v (run stsconform selftest from the repository root)", o.suite, err)
	}
	return nil
}

func runSelftest(ctx context.Context, o selftestOptions, stdout, stderr io.Writer) error {
	start := time.Now()
	var breakages []selftest.Breakage
	for _, b := range selftest.Breakages() {
		if len(o.only) == 0 || slices.Contains(o.only, b.Name) {
			breakages = append(breakages, b)
		}
	}
	if len(breakages) == 0 {
		return fmt.Errorf("no breakage named %v", o.only)
	}
	if err := o.validate(breakages); err != nil {
		return err
	}
	if err := os.MkdirAll(o.artifacts, 0o755); err != nil {
		return err
	}
	var outcomes []selftest.Outcome
	for _, b := range breakages {
		if ctx.Err() != nil {
			break
		}
		fmt.Fprintf(stderr, "selftest %s: %s\n", b.Name, b.Breaks)
		out := runBreakage(ctx, o, b, stderr)
		fmt.Fprintf(stderr, "selftest %s: %s\n", b.Name, outcomeLine(out))
		outcomes = append(outcomes, out)
	}
	sum := selftest.NewSummary(outcomes, time.Since(start))
	if err := sum.Write(o.artifacts); err != nil {
		return err
	}
	fmt.Fprint(stdout, sum.Markdown())
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("interrupted after %d of %d breakages", len(outcomes), len(breakages))
	case !sum.Passed:
		return fmt.Errorf("selftest failed: see %s", filepath.Join(o.artifacts, selftest.SummaryMarkdown))
	}
	return nil
}

func outcomeLine(o selftest.Outcome) string {
	switch {
	case o.Err != "":
		return "not judged: " + o.Err
	case o.Detected:
		return "detected"
	}
	return fmt.Sprintf("NOT detected (%d problems)", len(o.Problems))
}

// runBreakage makes the broken cluster, runs the suite on it, judges the
// run and deletes the cluster, whatever happened in between.
func runBreakage(ctx context.Context, o selftestOptions, b selftest.Breakage, stderr io.Writer) (out selftest.Outcome) {
	out = selftest.Outcome{Result: selftest.Result{Breakage: b.Name}, Breaks: b.Breaks, LabelFilter: b.LabelFilter}
	fail := func(err error) selftest.Outcome { out.Err = err.Error(); return out }
	dir, err := filepath.Abs(filepath.Join(o.artifacts, b.Name))
	if err != nil {
		return fail(err)
	}
	// A run's evidence only: an earlier run's report must not be judged.
	if err := os.RemoveAll(dir); err != nil {
		return fail(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fail(err)
	}
	kindConfig := filepath.Join(dir, selftest.KindConfigFile)
	data, err := b.KindConfig()
	if err != nil {
		return fail(err)
	}
	if err := os.WriteFile(kindConfig, data, 0o644); err != nil {
		return fail(err)
	}

	start := time.Now()
	kubeconfig := filepath.Join(dir, "kubeconfig")
	t := o.timeouts
	cl, err := cluster.Create(ctx, cluster.CreateInput{
		Name: selftest.ClusterName, ConfigPath: kindConfig, NodeImage: o.image, KubeconfigPath: kubeconfig,
		By: "selftest", RunID: b.Name,
		CreateTimeout: t.ClusterCreate, NodesReadyTimeout: t.NodesReady, DeleteTimeout: t.ClusterDelete, Poll: t.Poll,
		Log: func(line string) { fmt.Fprintln(stderr, line) },
	})
	if err != nil {
		if ctx.Err() != nil {
			// An interrupted create leaves its half-made nodes to a
			// goroutine this process will not wait for. The name is the
			// selftest's own, so they are deleted here, marker or not.
			if _, derr := cluster.DeleteByName(context.WithoutCancel(ctx), cluster.DeleteInput{Name: selftest.ClusterName, Force: true}); derr != nil {
				err = fmt.Errorf("%w; deleting the half-made cluster: %v", err, derr)
			}
		}
		return fail(err)
	}
	defer func() {
		deleted := time.Now()
		if err := cl.Delete(); err != nil {
			out.Err = fmt.Sprintf("delete kind cluster %q: %v", selftest.ClusterName, err)
			out.Detected = false
		}
		out.Delete = time.Since(deleted)
	}()
	c, err := kube.NewClients(kubeconfig)
	if err != nil {
		return fail(err)
	}
	if err := selftest.Apply(ctx, selftest.ApplyInput{Config: c.Config, Client: c.Kube, Breakage: b, Timeout: t.PodReady, Poll: t.Poll}); err != nil {
		return fail(err)
	}
	out.Cluster = time.Since(start)
	fmt.Fprintf(stderr, "selftest %s: cluster %q (%s) broken and ready in %s; running --label-filter='%s'\n",
		b.Name, selftest.ClusterName, cl.Nodes.Count(), out.Cluster.Round(time.Second), b.LabelFilter)

	suiteStart := time.Now()
	runErr := runSuite(ctx, o, b, dir, kubeconfig)
	out.Suite = time.Since(suiteStart)
	run, err := selftest.Load(dir)
	if err != nil {
		// The suite's own error (a build failure, an interrupt) says why.
		return fail(fmt.Errorf("%w (ginkgo: %v; its output is in %s)", err, runErr, filepath.Join(dir, ginkgoLog)))
	}
	result := selftest.Evaluate(b, run)
	out.Result = result
	return out
}

// ginkgoLog holds a breakage's ginkgo output.
const ginkgoLog = "ginkgo.log"

// runSuite runs the breakage's specs with ginkgo on the cluster of
// kubeconfig. The specs are meant to fail, so ginkgo's exit status is
// returned only to explain a run that left no report. ginkgo runs in its
// own process group: an interrupt reaches it once, from here, and its
// cleanups run before the cluster is deleted.
func runSuite(ctx context.Context, o selftestOptions, b selftest.Breakage, dir, kubeconfig string) error {
	log, err := os.Create(filepath.Join(dir, ginkgoLog))
	if err != nil {
		return err
	}
	defer log.Close()
	code, err := suiterun.Run(ctx, o.suiteInput(b, dir, kubeconfig), suiterun.Exec{
		Stdout: log, Stderr: log, OwnGroup: true, Grace: o.timeouts.Cleanup + o.timeouts.Slack,
	})
	if err == nil && code != 0 {
		err = fmt.Errorf("exit status %d", code)
	}
	return err
}
