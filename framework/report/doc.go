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
// filtered-out or interrupted spec leaves it "not verified", with the
// reason, and such a run is never summarised as certified.
package report
