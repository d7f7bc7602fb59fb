package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/stsconform/stsconform/framework/bench"
)

// newBenchCommand summarises runs of the suite made one after another on
// one cluster (hack/bench.sh makes them): each phase's median and range.
func newBenchCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "bench DIR...",
		Short: "Each phase's median over several runs' artifacts (bring-up, parallel and serial specs, teardown), as a Markdown table",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, dirs []string) error {
			var runs []bench.Run
			for _, d := range dirs {
				r, err := bench.ReadRun(d)
				if err != nil {
					return fmt.Errorf("bench: %w", err)
				}
				runs = append(runs, r)
			}
			return bench.Write(cmd.OutOrStdout(), bench.Summarize(runs))
		},
	}
}
