package guarantee

import (
	"errors"
	"fmt"
	"strings"

	"github.com/stsconform/stsconform/framework/timeline"
)

// KnownIssue is an upstream bug, open in every supported release, that
// breaks a documented guarantee. A spec that reproduces it proves the
// cluster does not keep the promise, but not that this cluster is worse
// than any other of its release: it is reported "not verified", the bug and
// the recorded violation named, so that an auditor sees it and a run is
// not failed for what no platform team can fix. A violation of any other
// rule of the same checker still fails the spec.
type KnownIssue struct {
	// ID is the upstream reference, e.g. kubernetes/kubernetes#121534.
	ID  string
	URL string
	// Summary says what goes wrong, in one line.
	Summary string
	// Shows reports whether a violation is this bug's (the rest fail).
	Shows func(Violation) bool
}

// PartitionLostAtZero: with 0 replicas every pod is trivially updated, so
// the controller promotes currentRevision to updateRevision, and pods
// created again below the partition get the new revision.
var PartitionLostAtZero = KnownIssue{
	ID: "kubernetes/kubernetes#121534", URL: "https://github.com/kubernetes/kubernetes/issues/121534",
	Summary: "a partitioned StatefulSet scaled to 0 and back creates the pods below the partition on the update revision",
	Shows: func(v Violation) bool {
		return v.Rule.Name == PartitionRule.Name && strings.Contains(v.Problem, "below partition")
	},
}

// Reproduced returns the known issue that err (a Judge error) shows: when
// every violation is one of issues', the first issue with a violation and
// the first such violation; ok is false for any other error, or nil.
func Reproduced(err error, issues []KnownIssue) (issue KnownIssue, first Violation, ok bool) {
	var vs Violations
	if !errors.As(err, &vs) || len(vs) == 0 {
		return KnownIssue{}, Violation{}, false
	}
	for _, k := range issues {
		all := true
		for _, v := range vs {
			if k.Shows == nil || !k.Shows(v) {
				all = false
				break
			}
		}
		if all {
			return k, vs[0], true
		}
	}
	return KnownIssue{}, Violation{}, false
}

// NotVerified is the reason a spec that reproduced the issue gives.
func (k KnownIssue) NotVerified(v Violation) string {
	return fmt.Sprintf("not verified: known upstream bug %s reproduced (%s): %s", k.ID, k.Summary, v.Headline())
}

// JudgeKnown is Judge for a guarantee with known upstream bugs: the check
// is recorded as one that must hold or show only those bugs, so that
// `stsconform verify` and the report judge it again the same way.
func JudgeKnown(rec Recorder, tl timeline.Timeline, c Check, issues []KnownIssue) error {
	ids := make([]string, 0, len(issues))
	for _, k := range issues {
		ids = append(ids, k.ID)
	}
	return judge(rec, tl, c, timeline.KnownIssues(ids))
}

// knownIssue finds a declared guarantee's known issue by its ID.
func knownIssue(id string) (KnownIssue, bool) {
	for _, g := range declared {
		for _, k := range g.KnownIssues {
			if k.ID == id {
				return k, true
			}
		}
	}
	return KnownIssue{}, false
}

// knownProblem is Rejudged.Problem for a KnownIssues expectation: nil when
// the verdict held or shows only the named bugs.
func knownProblem(verdict error, ids []string) error {
	var issues []KnownIssue
	for _, id := range ids {
		k, ok := knownIssue(id)
		if !ok {
			return fmt.Errorf("the timeline records a check that may show upstream bug %s, which no guarantee of this stsconform declares", id)
		}
		issues = append(issues, k)
	}
	if _, _, ok := Reproduced(verdict, issues); ok {
		return nil
	}
	return verdict
}
