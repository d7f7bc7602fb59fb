package main

import (
	"fmt"
	"io"
	"strings"

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
	pod                 string
}

// guarantees are the values of --guarantee, for help and completion.
var guarantees = []string{"ordered-creation", "ordered-termination", "scale-down-halt", "parallel-termination", "rolling-update", "failed-replaced"}

func newVerifyCommand() *cobra.Command {
	var v verifyFlags
	cmd := &cobra.Command{
		Use:   "verify --guarantee NAME TIMELINE.json",
		Short: "Re-judge a recorded timeline (from _artifacts/timelines) with the suite's own checkers",
		Long: `verify re-judges one recorded timeline with the checker the suite used,
so that an auditor can check the evidence offline. It exits non-zero when the
guarantee does not hold, and when the timeline lacks the pods or the events
the guarantee is about (an empty or truncated recording proves nothing).`,
		Example: `  stsconform verify --guarantee ordered-creation --replicas 3 _artifacts/timelines/<spec>--web.json
  stsconform verify --guarantee ordered-creation --from 3 --to 10 TIMELINE.json
  stsconform verify --guarantee ordered-termination --from 3 --to 0 TIMELINE.json
  stsconform verify --guarantee scale-down-halt --pod web-0 --from 3 --to 1 --since SEQ TIMELINE.json
  stsconform verify --guarantee parallel-termination --pod web-0 --from 3 --to 1 --since SEQ TIMELINE.json
  stsconform verify --guarantee failed-replaced --pod web-0 TIMELINE.json
  stsconform verify --guarantee rolling-update --replicas 3 --old REV --new REV TIMELINE.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return verify(cmd.OutOrStdout(), v, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&v.guarantee, "guarantee", "", "one of "+strings.Join(guarantees, ", "))
	f.IntVar(&v.from, "from", 0, "replicas before the scale-down (ordered-termination, scale-down-halt, parallel-termination) or the scale-up (ordered-creation; 0 for a new StatefulSet)")
	f.IntVar(&v.to, "to", 0, "replicas after the scale-down or scale-up; ordered-creation without --to or --replicas judges the pods the timeline shows")
	f.IntVar(&v.replicas, "replicas", 0, "rolling-update: replicas; ordered-creation: the same as --to")
	f.IntVar(&v.partition, "partition", 0, "rolling-update: partition")
	f.StringVar(&v.oldRev, "old", "", "rolling-update: old revision")
	f.StringVar(&v.newRev, "new", "", "rolling-update: new revision")
	f.IntVar(&v.since, "since", 0, "judge only events after this seq (earlier live pods are baseline); a scale-down's is the seq its note follows")
	f.StringVar(&v.pod, "pod", "", "scale-down-halt, parallel-termination: the pod held unready; failed-replaced: the pod that failed")
	_ = cmd.MarkFlagRequired("guarantee")
	_ = cmd.RegisterFlagCompletionFunc("guarantee", cobra.FixedCompletions(guarantees, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// verify prints the verdict and returns an error when the guarantee did not
// hold or the timeline lacks what it is about, so that the exit status
// carries it. The error starts with the rule, as the suite's failures do.
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
	var judged string
	switch v.guarantee {
	case "ordered-creation":
		from, to, inferred := creationRange(tl, v)
		if to == 0 {
			return &guarantee.EvidenceError{Rule: guarantee.OrderedCreationRule, Namespace: tl.Namespace, StatefulSet: tl.StatefulSet,
				Missing: "pods of " + tl.StatefulSet, Found: fmt.Sprintf("the timeline holds %d events, none of a pod named %s-<ordinal>", len(tl.Events), tl.StatefulSet)}
		}
		verdict = guarantee.OrderedCreation(tl, from, to)
		judged = fmt.Sprintf("creation from %d to %d replicas", from, to)
		if inferred {
			judged += " (--to inferred from the highest ordinal recorded; pass --to or --replicas to require more pods)"
		}
	case "ordered-termination":
		verdict = guarantee.OrderedTermination(tl, v.from, v.to)
		judged = fmt.Sprintf("scale-down from %d to %d replicas", v.from, v.to)
	case "scale-down-halt":
		verdict = guarantee.HeldHalts(tl, v.pod, v.from, v.to)
		judged = fmt.Sprintf("scale-down from %d to %d replicas halted behind %s", v.from, v.to, v.pod)
	case "parallel-termination":
		verdict = guarantee.ParallelTermination(tl, v.pod, v.from, v.to)
		judged = fmt.Sprintf("Parallel scale-down from %d to %d replicas with %s unready", v.from, v.to, v.pod)
	case "failed-replaced":
		verdict = guarantee.FailedReplaced(tl, v.pod)
		judged = v.pod + " failed and replaced"
	case "rolling-update":
		in := guarantee.RollingUpdateInput{Replicas: v.replicas, Partition: v.partition, OldRevision: v.oldRev, NewRevision: v.newRev}
		verdict = guarantee.RollingUpdate(tl, in)
		judged = fmt.Sprintf("update of %d replicas from partition %d to revision %s", v.replicas, v.partition, v.newRev)
	default:
		return fmt.Errorf("--guarantee must be one of %v (got %q)", guarantees, v.guarantee)
	}
	if verdict != nil {
		return fmt.Errorf("%w\njudged: %s/%s, %s, %d events of %s", verdict, tl.Namespace, tl.StatefulSet, judged, len(tl.Events), files[0])
	}
	fmt.Fprintf(w, "%s/%s: %s held: %s, %d events\n", tl.Namespace, tl.StatefulSet, v.guarantee, judged, len(tl.Events))
	return nil
}

// creationRange is the scale-up ordered-creation judges: --from to --to,
// --replicas standing for --to. Without either, the pods are those the
// timeline shows, which keeps the original command line working; 0 means
// it shows none.
func creationRange(tl timeline.Timeline, v verifyFlags) (from, to int, inferred bool) {
	to = v.to
	if to == 0 {
		to = v.replicas
	}
	if to > 0 {
		return v.from, to, false
	}
	_, to = guarantee.RecordedOrdinals(tl)
	return v.from, to, true
}
