package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/stsconform/stsconform/framework/report"
)

type reportFlags struct {
	out          string
	strict       bool
	matrix       bool
	compare      bool
	slowerFactor float64
	slowerBy     time.Duration
}

func newReportCommand() *cobra.Command {
	var f reportFlags
	cmd := &cobra.Command{
		Use:   "report ARTIFACTS_DIR",
		Short: "Render report.html, report.md and certification.json from a run's artifacts",
		Long: `report rebuilds the certification report of a finished run from its
artifacts directory (e.g. downloaded from CI): Ginkgo's report.json, the
suite's environment.json and the recorded timelines. It writes report.html,
report.md and certification.json, with a manifest of every artifact and its
SHA-256, and prints the verdicts.

With --matrix it reads several artifacts directories (one per cluster or
Kubernetes minor, e.g. a CI matrix's downloaded artifacts) and writes
matrix.html, one self-contained page, and its Markdown twin matrix.md into
--out (default: the current directory): the guarantees as rows, the runs as
columns, each cell the run's verdict linking to its report, then the
environment rows, those that differ between the runs first.

With --compare OLD NEW it writes nothing and names every change from the run
in OLD to the run in NEW: the run's verdict, each guarantee's, each spec's
outcome, and each spec that passed in both and took more than
--slower-factor times as long, and --slower-by more. It exits non-zero when
NEW proves less than OLD (a verdict or outcome got worse, or a spec slower).

Its job is to render: it exits 0 whatever the verdict, unless --strict is
given, when a run that is not certified (with --matrix: any of them) is an
error.`,
		Example: `  stsconform report _artifacts
  stsconform report --strict ~/Downloads/e2e-v1.34
  stsconform report --out /tmp/review _artifacts
  stsconform report --matrix --out matrix matrix/e2e-v1.34 matrix/e2e-v1.33
  stsconform report --compare last-week/_artifacts _artifacts`,
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case f.matrix && f.compare:
				return errors.New("--matrix and --compare do not go together")
			case f.matrix:
				return cobra.MinimumNArgs(1)(cmd, args)
			case f.compare:
				return cobra.ExactArgs(2)(cmd, args)
			}
			return cobra.ExactArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.matrix {
				return renderMatrix(cmd.OutOrStdout(), args, f)
			}
			if f.compare {
				return compareRuns(cmd.OutOrStdout(), args[0], args[1], f)
			}
			return renderReport(cmd.OutOrStdout(), args[0], f)
		},
	}
	cmd.Flags().StringVar(&f.out, "out", "", "directory to write the files into; empty: ARTIFACTS_DIR (their links to the evidence are relative to ARTIFACTS_DIR, so they resolve only there), with --matrix the current directory")
	cmd.Flags().BoolVar(&f.strict, "strict", false, "exit non-zero when the run (with --matrix: any run) is not certified")
	cmd.Flags().BoolVar(&f.matrix, "matrix", false, "one page of several runs side by side: ARTIFACTS_DIR... (matrix.html, matrix.md)")
	cmd.Flags().BoolVar(&f.compare, "compare", false, "what changed between two runs: OLD_DIR NEW_DIR; exits non-zero when NEW proves less")
	cmd.Flags().Float64Var(&f.slowerFactor, "slower-factor", report.SlowerFactor, "with --compare: a spec is slower when it took more than this many times as long ...")
	cmd.Flags().DurationVar(&f.slowerBy, "slower-by", report.SlowerBy, "with --compare: ... and at least this much more")
	return cmd
}

// compareRuns prints what changed from the run in oldDir to the one in
// newDir; the error says NEW proves less.
func compareRuns(w io.Writer, oldDir, newDir string, f reportFlags) error {
	// NaN compares false with everything, and +Inf would call no spec
	// slower: neither is a factor.
	if !(f.slowerFactor >= 1) || math.IsInf(f.slowerFactor, 1) || f.slowerBy < 0 {
		return fmt.Errorf("--slower-factor %g and --slower-by %s: want a factor of at least 1 and a duration of at least 0", f.slowerFactor, f.slowerBy)
	}
	old, err := report.Load(oldDir)
	if err != nil {
		return err
	}
	new, err := report.Load(newDir)
	if err != nil {
		return err
	}
	c := report.Compare(old, new, f.slowerFactor, f.slowerBy)
	fmt.Fprintf(w, "%s -> %s\n%s", oldDir, newDir, c)
	if c.Regressed() {
		return fmt.Errorf("%s proves less than %s (the lines marked !)", newDir, oldDir)
	}
	return nil
}

// renderMatrix writes the matrix of the runs in dirs and prints each
// column's verdict.
func renderMatrix(w io.Writer, dirs []string, f reportFlags) error {
	out := f.out
	if out == "" {
		out = "."
	}
	m, err := report.BuildMatrix(dirs, out)
	if err != nil {
		return err
	}
	if err := m.Write(out); err != nil {
		return err
	}
	fmt.Fprint(w, m.Summary())
	fmt.Fprintf(w, "wrote %s and %s\n", filepath.Join(out, report.MatrixHTMLFile), report.MatrixMarkdownFile)
	if f.strict && !m.Certified() {
		return errors.New("not every run of the matrix is certified")
	}
	return nil
}

// renderReport writes the report of the run in dir and prints its summary;
// the error carries a load or write failure (after which no earlier report
// stays in the output directory), or the verdict when strict.
func renderReport(w io.Writer, dir string, f reportFlags) error {
	if err := checkDir("artifacts directory", dir); err != nil {
		return err
	}
	out := f.out
	if out == "" {
		out = dir
	}
	r, err := report.Rebuild(dir, out)
	if err != nil {
		return err
	}
	fmt.Fprint(w, r.Summary())
	fmt.Fprintf(w, "wrote %s, %s and %s\n", filepath.Join(out, report.HTMLFile), report.MarkdownFile, report.CertificationFile)
	if f.strict && r.Overall() != report.Certified {
		return fmt.Errorf("the run is not certified: %s (%s)", r.Overall(), r.Why())
	}
	return nil
}
