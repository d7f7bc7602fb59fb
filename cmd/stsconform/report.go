package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/stsconform/stsconform/framework/report"
)

type reportFlags struct {
	out    string
	strict bool
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

Its job is to render: it exits 0 whatever the verdict, unless --strict is
given, when a run that is not certified is an error.`,
		Example: `  stsconform report _artifacts
  stsconform report --strict ~/Downloads/e2e-v1.34
  stsconform report --out /tmp/review _artifacts`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return renderReport(cmd.OutOrStdout(), args[0], f)
		},
	}
	cmd.Flags().StringVar(&f.out, "out", "", "directory to write the three files into; empty: ARTIFACTS_DIR (their links to the evidence are relative to ARTIFACTS_DIR, so they resolve only there)")
	cmd.Flags().BoolVar(&f.strict, "strict", false, "exit non-zero when the run is not certified")
	return cmd
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
