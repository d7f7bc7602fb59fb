// Command stsconform-runner is the entrypoint of the runner image: it runs
// the precompiled suite inside the cluster under test with the contract of
// Kubernetes' conformance image (package incluster), so that stsconform's
// own Job, hydrophone and Sonobuoy can all start it.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/stsconform/stsconform/incluster"
	"github.com/stsconform/stsconform/incluster/layout"
)

func main() {
	root := &cobra.Command{
		Use:   "stsconform-runner",
		Short: "Run the stsconform suite from a pod (the runner image's entrypoint)",
		Long: `With no command, run the suite as the conformance image does: read E2E_FOCUS,
E2E_SKIP, E2E_PARALLEL, E2E_DRYRUN, E2E_EXTRA_ARGS (suite flags) and
E2E_EXTRA_GINKGO_ARGS; write e2e.log, junit_01.xml and the certification report
into RESULTS_DIR (default ` + layout.ResultsDir + `), then e2e.tar.gz and the done file.`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			plan, err := incluster.PlanFrom(os.Getenv)
			if err != nil {
				return err
			}
			code, err := incluster.Run(cmd.Context(), incluster.RunInput{Plan: plan, Out: os.Stdout})
			if err != nil {
				return err
			}
			if code != 0 {
				os.Exit(code)
			}
			return nil
		},
	}
	var hold incluster.HoldInput
	holdCmd := &cobra.Command{
		Use:   "hold",
		Short: "Keep the results container up until the results are collected, or a grace period after the run",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return incluster.Hold(cmd.Context(), hold)
		},
	}
	holdCmd.Flags().StringVar(&hold.ResultsDir, "results-dir", layout.ResultsDir, "the results directory shared with the runner")
	holdCmd.Flags().DurationVar(&hold.Grace, "grace", incluster.HoldGrace, "how long the results stay once the run is done if nobody collects them")
	holdCmd.Flags().DurationVar(&hold.Poll, "poll", time.Second, "how often to look")
	root.AddCommand(holdCmd)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := root.ExecuteContext(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "stsconform-runner: "+err.Error())
		os.Exit(1)
	}
}
