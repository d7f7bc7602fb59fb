// Package timeline records the lifecycle of a StatefulSet's pods from a
// List+Watch, so that ordering can be proven from what the API server
// reported (in resourceVersion order) rather than from polling snapshots,
// which can miss a short-lived state entirely.
//
// The recorder assigns every event a Seq in order of arrival. Watch events
// for one resource arrive in resourceVersion order, so Seq is the authority
// for "happened before"; resourceVersions are recorded as evidence but are
// opaque strings and must not be compared numerically.
//
// Beside the events a timeline holds notes (what the test did, anchored
// after an event: Recorder.Mark returns the anchor) and the checks the spec
// made of it (Check: a registered checker, its input and its window), so
// that a recording written to a file can be judged again without the spec.
package timeline
