// Package report turns a finished run into the evidence an auditor reads:
// a verdict per documented StatefulSet guarantee, the environment it ran
// in, the recorded pod timelines drawn as charts with any ordering
// violation painted on them, and a manifest of every artifact with its
// SHA-256.
//
// It is pure: it reads Ginkgo's report, the timelines under the artifacts
// directory and an Environment the suite collected from the cluster, and
// writes report.html (self-contained: no scripts, no external resources),
// report.md (for a CI job summary) and certification.json. Load rebuilds
// the same report from a downloaded artifacts directory.
//
// A guarantee is never claimed without evidence: it is verified only when
// every spec carrying its label passed and at least one ran; a skipped,
// filtered-out or interrupted spec, or a timeline it recorded that is
// missing or unreadable, leaves it "not verified", with the reason, and
// such a run is never summarised as certified.
//
// What the suite provides:
//   - Labels: a spec proves the guarantees whose Catalogue Label it
//     carries (on its Describe or It); specs with none are listed apart.
//   - Report entries: EntryTimeline (path of the timeline file it wrote
//     under timelines/), EntryDiagnostics (its diagnostics directory),
//     EntryRevisions ("revision N NAME" lines of its ControllerRevisions),
//     EntryViolations (a guarantee.Violations a spec's checker returned),
//     and any entry named "observation: ...".
//   - Environment, in process to Build or as environment.json for Load.
//
// The report judges again every check a spec recorded in its timeline
// (guarantee.Rejudge: the same checker, input and window); a verdict other
// than the one the spec required fails the guarantee even if the spec
// passed. Timelines written before checks were recorded (schema 1) are
// judged by the checkers that need nothing but the timeline
// (ordered-creation) of the guarantees their specs carry.
package report
