package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/stsconform/stsconform/framework/report"
	"github.com/stsconform/stsconform/framework/rerun"
	"github.com/stsconform/stsconform/framework/suiterun"
)

func newRerunCommand() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "rerun ARTIFACTS_DIR [flags] [-- GINKGO_FLAG... [-- SUITE_FLAG...]]",
		Short: "Run again the specs a run failed or did not run to the end, and merge them into a new certification",
		Long: `rerun reads the run in ARTIFACTS_DIR (its report.json, and run.json, which
stsconform run writes: the cluster and settings it ran with), runs again only
the specs that did not pass (failed, timed out, interrupted, never reached,
or skipped because the cluster lacked something; a spec of an Ordered
container brings its container) on the same cluster settings, from this host
or in the cluster as the run did, and merges them into a new certification.

The merged certification is written into --artifacts (default ARTIFACTS_DIR
itself): its report.json and JUnit hold each spec's last attempt, each
re-run spec's evidence is the re-run's, and rerun.json and the report list
every attempt and what each re-run spec did in each. A spec that passed only
when re-run is shown as flaky in its guarantee's verdict and the run's. Each
attempt's own results are kept: attempts/1 (the first run as it was),
attempts/2, and so on. Run it again to re-run what still fails.

Flags given here replace the recorded ones; arguments after "--" are added
to them. The exit status is the re-run's: 0 once every re-run spec passed.`,
		Example: `  stsconform rerun _artifacts
  stsconform rerun ~/Downloads/e2e-v1.34 --kubeconfig ~/.kube/config --artifacts /tmp/merged
  make e2e RERUN=_artifacts`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if cmd.ArgsLenAtDash() > 1 || (cmd.ArgsLenAtDash() < 0 && len(args) > 1) {
				return fmt.Errorf("unexpected argument %q: Ginkgo's and the suite's flags go after \"--\"", args[1])
			}
			if _, err := os.Stat(filepath.Join(dir, suiterun.JSONReportFile)); err != nil {
				return fmt.Errorf("%s holds no run to re-run: %w", dir, err)
			}
			var err error
			if f.GinkgoArgs, f.SuiteArgs, err = splitDash(args[1:]); err != nil {
				return err
			}
			recorded, err := readRecord(cmd, &f, dir)
			if err != nil {
				return err
			}
			if !recorded {
				fmt.Fprintf(cmd.ErrOrStderr(), "stsconform rerun: %s has no %s (stsconform run writes it): re-running with this command's flags\n", dir, runRecordFile)
			}
			return rerunFailed(cmd, dir, &f)
		},
	}
	f.register(cmd)
	out := cmd.Flags().Lookup("artifacts")
	out.Usage, out.DefValue = "directory of the merged certification (default: ARTIFACTS_DIR, merged in place)", ""
	// A re-run selects its specs itself.
	for _, name := range []string{"label-filter", "focus", "skip"} {
		_ = cmd.Flags().MarkHidden(name)
	}
	return cmd
}

// splitDash splits arguments at a "--": Ginkgo's, then the suite's.
func splitDash(args []string) (ginkgo, suite []string, err error) {
	for i, a := range args {
		if a == "--" {
			return args[:i], args[i+1:], nil
		}
	}
	return args, nil, nil
}

// rerunFailed plans the re-run, runs it as an attempt of its own (the way
// the first run was made) and folds it into the certification.
func rerunFailed(cmd *cobra.Command, dir string, f *runFlags) error {
	out := dir
	if cmd.Flags().Changed("artifacts") {
		out = f.Artifacts
	}
	f.Artifacts = out
	f.absolutize()
	if err := f.validate(); err != nil {
		return err
	}
	plan, err := rerun.Prepare(dir, out)
	if err != nil {
		return err
	}
	stdout := cmd.OutOrStdout()
	if len(plan.Specs) == 0 {
		fmt.Fprintf(stdout, "nothing to re-run in %s: every spec the run selected passed\n", dir)
		return nil
	}
	fmt.Fprintf(stdout, "re-running %d spec(s) of %s as attempt %d (results in %s):\n", len(plan.Specs), dir, plan.Attempt, plan.AttemptDir)
	for _, s := range plan.Specs {
		fmt.Fprintf(stdout, "  %s (%s)\n", s.FullText(), s.State)
	}
	// The attempt's own run: exactly the planned specs, into its
	// directory (its run.json says so), the estimate from the run so far.
	f.Artifacts, f.Focus, f.LabelFilter, f.Skip = plan.AttemptDir, plan.Focus, "", ""
	f.timesFrom = filepath.Join(plan.Dir, suiterun.JSONReportFile)
	f.quiet = true
	runErr := f.run(cmd)
	var exit exitError
	if runErr != nil && !errors.As(runErr, &exit) {
		return runErr
	}
	if err := plan.Fold(); err != nil {
		return fmt.Errorf("merging attempt %d into %s: %w", plan.Attempt, out, err)
	}
	if err := renderReport(stdout, out, reportFlags{}); err != nil {
		return err
	}
	if runErr != nil {
		return exitError{code: exit.code, err: fmt.Errorf("re-run attempt %d failed (exit status %d); the merged report is %s",
			plan.Attempt, exit.code, filepath.Join(out, report.HTMLFile))}
	}
	return nil
}
