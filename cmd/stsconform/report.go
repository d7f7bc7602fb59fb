package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/stsconform/stsconform/framework/report"
)

type reportFlags struct {
	out    string
	strict bool
	matrix bool
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

Its job is to render: it exits 0 whatever the verdict, unless --strict is
given, when a run that is not certified (with --matrix: any of them) is an
error.`,
		Example: `  stsconform report _artifacts
  stsconform report --strict ~/Downloads/e2e-v1.34
  stsconform report --out /tmp/review _artifacts
  stsconform report --matrix --out matrix matrix/e2e-v1.34 matrix/e2e-v1.33`,
		Args: func(cmd *cobra.Command, args []string) error {
			if f.matrix {
				return cobra.MinimumNArgs(1)(cmd, args)
			}
			return cobra.ExactArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.matrix {
				return renderMatrix(cmd.OutOrStdout(), args, f)
			}
			return renderReport(cmd.OutOrStdout(), args[0], f)
		},
	}
	cmd.Flags().StringVar(&f.out, "out", "", "directory to write the files into; empty: ARTIFACTS_DIR (their links to the evidence are relative to ARTIFACTS_DIR, so they resolve only there), with --matrix the current directory")
	cmd.Flags().BoolVar(&f.strict, "strict", false, "exit non-zero when the run (with --matrix: any run) is not certified")
	cmd.Flags().BoolVar(&f.matrix, "matrix", false, "one page of several runs side by side: ARTIFACTS_DIR... (matrix.html, matrix.md)")
	return cmd
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
// the error carries a write failure, or the verdict when strict.
func renderReport(w io.Writer, dir string, f reportFlags) error {
	r, err := report.Load(dir)
	if err != nil {
		return err
	}
	out := f.out
	if out == "" {
		out = dir
	}
	if err := r.Write(out); err != nil {
		return err
	}
	fmt.Fprint(w, r.Summary())
	fmt.Fprintf(w, "wrote %s, %s and %s\n", filepath.Join(out, report.HTMLFile), report.MarkdownFile, report.CertificationFile)
	if f.strict && r.Overall() != report.Certified {
		return fmt.Errorf("the run is not certified: %s", r.Overall())
	}
	return nil
}
