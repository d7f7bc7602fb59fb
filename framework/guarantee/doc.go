// Package guarantee checks a recorded timeline.Timeline against the
// StatefulSet guarantees Kubernetes documents
// (https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/,
// "Deployment and Scaling Guarantees" and "Rolling Updates").
//
// Checkers are pure functions of the timeline: they replay the events in Seq
// order, so the state of every pod "at" an event is exactly what the watch
// had reported before it. A nil error means the guarantee held; otherwise the
// error is a Violations listing each offending event with the replayed state
// of the pods the guarantee depends on, with resourceVersions and times.
//
// Events marked Baseline (pods that existed before recording, or before the
// window chosen with Timeline.Since) count as state but are never judged:
// nobody saw them happen.
package guarantee
