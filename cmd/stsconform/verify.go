package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/timeline"
)

type verifyFlags struct {
	guarantee           string
	from, to            int
	replicas, partition int
	oldRev, newRev      string
	since               int
}

// guarantees are the values of --guarantee, for help and completion.
var guarantees = []string{"ordered-creation", "ordered-termination", "rolling-update"}

func newVerifyCommand() *cobra.Command {
	var v verifyFlags
	cmd := &cobra.Command{
		Use:   "verify --guarantee NAME TIMELINE.json",
		Short: "Re-judge a recorded timeline (from _artifacts/timelines) with the suite's own checkers",
		Long: `verify re-judges one recorded timeline with the checker the suite used,
so that an auditor can check the evidence offline. It exits non-zero when the
guarantee does not hold.`,
		Example: `  stsconform verify --guarantee ordered-creation _artifacts/timelines/<spec>--web.json
  stsconform verify --guarantee ordered-termination --from 3 --to 0 TIMELINE.json
  stsconform verify --guarantee rolling-update --replicas 3 --old REV --new REV TIMELINE.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return verify(cmd.OutOrStdout(), v, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&v.guarantee, "guarantee", "", "ordered-creation, ordered-termination or rolling-update")
	f.IntVar(&v.from, "from", 0, "ordered-termination: replicas before the scale-down")
	f.IntVar(&v.to, "to", 0, "ordered-termination: replicas after the scale-down")
	f.IntVar(&v.replicas, "replicas", 0, "rolling-update: replicas")
	f.IntVar(&v.partition, "partition", 0, "rolling-update: partition")
	f.StringVar(&v.oldRev, "old", "", "rolling-update: old revision")
	f.StringVar(&v.newRev, "new", "", "rolling-update: new revision")
	f.IntVar(&v.since, "since", 0, "judge only events after this seq (earlier live pods are baseline)")
	_ = cmd.MarkFlagRequired("guarantee")
	_ = cmd.RegisterFlagCompletionFunc("guarantee", cobra.FixedCompletions(guarantees, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// verify prints the verdict and returns an error when the guarantee did not
// hold, so that the exit status carries it.
func verify(w io.Writer, v verifyFlags, files []string) error {
	if len(files) != 1 {
		return fmt.Errorf("verify needs exactly one timeline file")
	}
	tl, err := timeline.ReadFile(files[0])
	if err != nil {
		return err
	}
	if v.since > 0 {
		tl = tl.Since(v.since)
	}
	var verdict error
	switch v.guarantee {
	case "ordered-creation":
		verdict = guarantee.OrderedCreation(tl)
	case "ordered-termination":
		verdict = guarantee.OrderedTermination(tl, v.from, v.to)
	case "rolling-update":
		verdict = guarantee.RollingUpdate(tl, guarantee.RollingUpdateInput{Replicas: v.replicas, Partition: v.partition, OldRevision: v.oldRev, NewRevision: v.newRev})
	default:
		return fmt.Errorf("--guarantee must be one of %v (got %q)", guarantees, v.guarantee)
	}
	if verdict != nil {
		return fmt.Errorf("%s/%s: guarantee violated:\n%w", tl.Namespace, tl.StatefulSet, verdict)
	}
	fmt.Fprintf(w, "%s/%s: %s held over %d events\n", tl.Namespace, tl.StatefulSet, v.guarantee, len(tl.Events))
	return nil
}
