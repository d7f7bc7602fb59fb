// Command stsconform is the suite's own tool around a run: it makes and
// removes the test cluster, cleans up after interrupted runs, re-judges
// recorded evidence offline and renders a run's certification report from
// its artifacts, and pushes the test images to a registry for clusters
// that are not kind. `stsconform help` lists the commands; each has its own
// flags and help, and `stsconform completion` writes shell completion.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRootCommand().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "stsconform:", err)
		stop()
		// A command that ran the suite exits with the suite's status.
		var suite interface{ ExitCode() int }
		if errors.As(err, &suite) {
			os.Exit(suite.ExitCode())
		}
		os.Exit(1)
	}
}

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "stsconform",
		Short: "StatefulSet conformance: the test cluster, cleanup, offline verification of recorded evidence and the certification report",
		// An error is one line from main, not a usage dump.
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newClusterUpCommand(), newClusterDownCommand(), newCleanupCommand(), newVerifyCommand(), newReportCommand(),
		newImagesCommand(), newRunCommand(), newRerunCommand(), newSonobuoyPluginCommand(), newSelftestCommand())
	return root
}
