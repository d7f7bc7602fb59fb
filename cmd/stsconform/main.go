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
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/stsconform/stsconform/framework/buildinfo"
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

func newRootCommand() *cobra.Command { return newRootCommandTo(os.Stdout, os.Stderr) }

// newRootCommandTo writes to out and errOut: cobra's completion command
// takes its output when it is made, not when it runs.
func newRootCommandTo(out, errOut io.Writer) *cobra.Command {
	version, commit := buildinfo.Read()
	root := &cobra.Command{
		Use:   "stsconform",
		Short: "StatefulSet conformance: the test cluster, cleanup, offline verification of recorded evidence and the certification report",
		// An error is one line from main, not a usage dump.
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
	}
	root.SetOut(out)
	root.SetErr(errOut)
	root.SetVersionTemplate("stsconform version {{.Version}}\ncommit " + commit + "\n")
	root.AddCommand(newClusterUpCommand(), newClusterDownCommand(), newCleanupCommand(), newVerifyCommand(), newReportCommand(),
		newImagesCommand(), newRunCommand(), newRerunCommand(), newSonobuoyPluginCommand(), newSelftestCommand(), newBenchCommand())
	// Made now rather than by Execute, so that it is a group like the
	// others below.
	root.InitDefaultCompletionCmd()
	root.InitDefaultHelpCmd()
	refuseUnknownSubcommands(root)
	return root
}

// refuseUnknownSubcommands makes every command that only groups others
// (the root, images, completion) fail on a word that names none of them:
// cobra would print the group's help and exit 0, so that a script's
// `stsconform images lst > images.yaml` wrote help text and went on. Given
// no word, a group still prints its help.
func refuseUnknownSubcommands(c *cobra.Command) {
	for _, sub := range c.Commands() {
		refuseUnknownSubcommands(sub)
	}
	if !c.HasSubCommands() || c.Runnable() {
		return
	}
	// One edit away ("lst"): at two, "tcsh" suggests bash, fish and zsh.
	c.SuggestionsMinimumDistance = 1
	c.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		var names []string
		for _, s := range cmd.Commands() {
			if s.IsAvailableCommand() {
				names = append(names, s.Name())
			}
		}
		hint := ""
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			hint = "; did you mean " + strings.Join(s, " or ") + "?"
		}
		return fmt.Errorf("unknown command %q for %q (commands: %s)%s", args[0], cmd.CommandPath(), strings.Join(names, ", "), hint)
	}
	c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	if help := helpCommand(c); help != nil {
		// `help lst` would print the usage and exit 0 as well.
		help.Run = nil
		help.RunE = func(h *cobra.Command, args []string) error {
			cmd, rest, err := h.Root().Find(args)
			if err != nil {
				return err
			}
			if len(rest) > 0 && cmd.HasSubCommands() {
				return cmd.Args(cmd, rest)
			}
			return cmd.Help()
		}
	}
}

func helpCommand(c *cobra.Command) *cobra.Command {
	for _, s := range c.Commands() {
		if s.Name() == "help" {
			return s
		}
	}
	return nil
}
