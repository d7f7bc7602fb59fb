// Package guarantee checks a recorded timeline.Timeline against the
// StatefulSet guarantees Kubernetes documents
// (https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/,
// "Deployment and Scaling Guarantees" and "Rolling Updates").
//
// Checkers are pure functions of the timeline: they replay the events in Seq
// order, so the state of every pod "at" an event is exactly what the watch
// had reported before it. A nil error means the guarantee held. Otherwise
// the error is either Violations, listing each offending event with the
// replayed state of the pods the guarantee depends on (resourceVersions and
// times), or an *EvidenceError when the timeline lacks what the guarantee is
// about (the pods, their creation, the notes that bound a window): a
// recording that proves nothing must not pass. Either way the message's
// first line names the rule and the pod, and Explain (or Gomega's Succeed)
// shows it first.
//
// Events marked Baseline (pods that existed before recording, or before the
// window chosen with Timeline.Since) count as state but are never judged:
// nobody saw them happen.
package guarantee
