package incluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/stsconform/stsconform/framework/progress"
	"github.com/stsconform/stsconform/framework/report"
	"github.com/stsconform/stsconform/framework/suiterun"
)

// InterruptGrace is how long an interrupted suite may clean up before it
// is killed; a runner pod's termination grace period must exceed it.
const InterruptGrace = 90 * time.Second

// RunInput is one run of the entrypoint.
type RunInput struct {
	Plan   Plan
	Ginkgo string    // the Ginkgo CLI; empty: the plan's (layout.Ginkgo)
	Out    io.Writer // the container's log
	// ProgressPoll is how often the progress files are read (zero: the
	// watcher's default).
	ProgressPoll time.Duration
}

// Run runs the plan and finishes the results directory, whatever the
// suite's outcome. It returns the suite's exit code, or an error when the
// suite could not be started or its results not written.
func Run(ctx context.Context, in RunInput) (int, error) {
	dir := in.Plan.ResultsDir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("results directory: %w", err)
	}
	for _, n := range in.Plan.Notes {
		fmt.Fprintln(in.Out, "stsconform-runner: "+n)
	}
	suite := in.Plan.Suite
	if in.Ginkgo != "" {
		suite.Ginkgo = []string{in.Ginkgo}
	}
	log, err := os.Create(filepath.Join(dir, LogFile))
	if err != nil {
		return 0, fmt.Errorf("results log: %w", err)
	}
	// e2e.log holds Ginkgo's output only: hydrophone reads a non-empty log
	// without Ginkgo's "Will run N of M specs" line as a broken run.
	// Progress lines go to the container's log only, between Ginkgo's
	// lines: hydrophone counts Ginkgo's dots in e2e.log.
	console := progress.NewPrinter(in.Out)
	out := io.MultiWriter(console, log)
	stop := func() {}
	if in.Plan.Progress {
		stop = progress.Watch(ctx, progress.WatchInput{
			Dir: filepath.Join(dir, progress.Dir), Print: console.Println, Prefix: "stsconform-runner: progress: ", Last: in.Plan.Times,
			Poll: in.ProgressPoll,
		})
	}
	// Stopped (the pod deleted, Ctrl-C upstream): Ginkgo is interrupted, not
	// killed, so that the suite deletes its namespaces and reports.
	code, runErr := suiterun.Run(ctx, suite, suiterun.Exec{Stdout: out, Stderr: out, Signal: syscall.SIGTERM, Grace: InterruptGrace})
	// No progress line after Ginkgo's closing ones: hydrophone looks for
	// "Ginkgo ran 1 suite" among the log's last 30 lines.
	stop()
	if runErr != nil {
		fmt.Fprintf(out, "stsconform-runner: %s could not run: %v\n", suite.Ginkgo[0], runErr)
		code = 1
	}
	werr := log.Close()
	// The certification report once more, now that Ginkgo has written its
	// reports, so that its manifest lists them (as make e2e does). One
	// line: hydrophone looks for Ginkgo's closing line among the last 30.
	if r, err := report.Load(dir); err != nil {
		fmt.Fprintf(in.Out, "stsconform-runner: no certification report: %v\n", err)
	} else if err := r.Write(dir); err != nil {
		werr = errors.Join(werr, err)
	} else {
		fmt.Fprintf(in.Out, "stsconform-runner: certification: %s (%s in %s)\n", r.Overall(), report.HTMLFile, dir)
	}
	return code, errors.Join(werr, Finish(dir))
}
