// Package diagnostics writes what a failed spec needs for a post-mortem:
// the namespace's events, pods, container logs, StatefulSets and their
// revisions, claims, volumes and budgets, and optionally the nodes.
//
// Dumping must never turn a failure into a different failure, so every
// collection step runs whatever happened to the previous one, and the
// errors are returned joined for the caller to log, not to assert on.
package diagnostics
