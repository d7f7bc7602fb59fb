// Package guarantee declares the StatefulSet guarantees the suite proves
// (Guarantee, one variable each, in guarantees.go) and checks recorded
// timelines against what Kubernetes documents
// (https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/,
// "Deployment and Scaling Guarantees" and "Rolling Updates").
//
// Each guarantee declares its checkers. A checker takes one JSON-tagged
// input struct (OrderedTerminationInput, ...), whose Judge method is a pure
// function of the timeline: it replays the events in Seq order, so the
// state of every pod "at" an event is exactly what the watch had reported
// before it. A spec judges with Judge, which also records the check (the
// checker's name, its input and the window of the recording it judged)
// beside the timeline; Rejudge judges a recorded check again, for
// `stsconform verify` and the certification report.
//
// A nil error means the guarantee held. Otherwise the error is either
// Violations, listing each offending event with the replayed state of the
// pods the guarantee depends on (resourceVersions and times), or an
// *EvidenceError when the timeline lacks what the guarantee is about (the
// pods, their creation, the anchors that bound a window): a recording that
// proves nothing must not pass. Either way the message's first line names
// the rule and the pod, and Explain (or Gomega's Succeed) shows it first.
//
// Events marked Baseline (pods that existed before recording, or before the
// window chosen with Timeline.Since) count as state but are never judged:
// nobody saw them happen.
package guarantee
