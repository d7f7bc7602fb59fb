package main

import (
	"flag"
	"fmt"
	"io"

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

func (v *verifyFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&v.guarantee, "guarantee", "", "verify: ordered-creation, ordered-termination or rolling-update")
	fs.IntVar(&v.from, "from", 0, "verify ordered-termination: replicas before the scale-down")
	fs.IntVar(&v.to, "to", 0, "verify ordered-termination: replicas after the scale-down")
	fs.IntVar(&v.replicas, "replicas", 0, "verify rolling-update: replicas")
	fs.IntVar(&v.partition, "partition", 0, "verify rolling-update: partition")
	fs.StringVar(&v.oldRev, "old", "", "verify rolling-update: old revision")
	fs.StringVar(&v.newRev, "new", "", "verify rolling-update: new revision")
	fs.IntVar(&v.since, "since", 0, "verify: judge only events after this seq (earlier live pods are baseline)")
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
		return fmt.Errorf("--guarantee must be ordered-creation, ordered-termination or rolling-update (got %q)", v.guarantee)
	}
	if verdict != nil {
		return fmt.Errorf("%s/%s: guarantee violated:\n%w", tl.Namespace, tl.StatefulSet, verdict)
	}
	fmt.Fprintf(w, "%s/%s: %s held over %d events\n", tl.Namespace, tl.StatefulSet, v.guarantee, len(tl.Events))
	return nil
}
