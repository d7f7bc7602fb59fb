package guarantee

import (
	"errors"
	"strings"
	"testing"

	"github.com/stsconform/stsconform/framework/timeline"
)

func TestReproducedOnlyWhenEveryViolationIsTheBug(t *testing.T) {
	bug := Violation{Rule: PartitionRule, Problem: `web-0 (ordinal 0, below partition 2) was created on revision "web-new", not the old revision web-old (after the scale)`}
	other := Violation{Rule: PartitionRule, Problem: "the window has no start"}
	creation := Violation{Rule: OrderedCreationRule, Problem: "web-1 (ordinal 1) was created while predecessor(s) web-0 were not Running and Ready"}
	issues := []KnownIssue{PartitionLostAtZero}

	issue, first, ok := Reproduced(Violations{bug, bug}, issues)
	if !ok || issue.ID != PartitionLostAtZero.ID || first.Problem != bug.Problem {
		t.Fatalf("the bug's violations: got %v %q %v", issue.ID, first.Problem, ok)
	}
	if msg := issue.NotVerified(first); !strings.HasPrefix(msg, "not verified: known upstream bug kubernetes/kubernetes#121534 reproduced") || !strings.Contains(msg, "partitioned update: web-0 (ordinal 0, below partition 2)") {
		t.Errorf("NotVerified = %q", msg)
	}
	for name, err := range map[string]error{
		"another partition violation beside it": Violations{bug, other},
		"another rule's violation":              Violations{creation},
		"not a verdict":                         errors.New("timeline lacks the update"),
		"held":                                  nil,
		"no known issue for the guarantee":      Violations{bug},
	} {
		list := issues
		if name == "no known issue for the guarantee" {
			list = nil
		}
		if _, _, ok := Reproduced(err, list); ok {
			t.Errorf("%s: reported as the known bug; it must fail the spec", name)
		}
	}
}

func TestKnownProblemAsRejudged(t *testing.T) {
	bug := Violation{Rule: PartitionRule, Problem: `web-1 (ordinal 1, below partition 2) was created on revision "web-new", not the old revision web-old`}
	rc := timeline.Check{Checker: partitionHeld.Name, Expect: timeline.KnownIssues([]string{PartitionLostAtZero.ID})}
	ids, ok := rc.KnownIssueIDs()
	if !ok || len(ids) != 1 || ids[0] != PartitionLostAtZero.ID {
		t.Fatalf("KnownIssueIDs of %q = %v, %v", rc.Expect, ids, ok)
	}
	if _, ok := (timeline.Check{Expect: timeline.Violated}).KnownIssueIDs(); ok {
		t.Error("a contrast case's expectation read as known issues")
	}
	for name, c := range map[string]struct {
		verdict error
		ids     []string
		ok      bool
	}{
		"held":                   {nil, ids, true},
		"only the bug":           {Violations{bug}, ids, true},
		"the bug and another":    {Violations{bug, {Rule: PartitionRule, Problem: "the window has no start"}}, ids, false},
		"a bug no one declares":  {Violations{bug}, []string{"kubernetes/kubernetes#1"}, false},
		"evidence that is short": {errors.New("timeline lacks the update"), ids, false},
	} {
		if err := knownProblem(c.verdict, c.ids); (err == nil) != c.ok {
			t.Errorf("%s: knownProblem = %v, want ok=%v", name, err, c.ok)
		}
	}
}
