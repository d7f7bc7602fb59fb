package guarantee

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/onsi/gomega"
)

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// The first line of every checker's error names the rule, the pod and what
// it did wrong: that line is what a test runner shows first.
func TestErrorsLeadWithRuleAndEvidence(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"creation", OrderedCreationInput{From: 0, To: 3}.Judge(newScript().create(0, "r1").create(1, "r1").create(2, "r1").timeline()),
			"ordered creation: web-1 (ordinal 1) was created while predecessor(s) web-0 were not Running and Ready (and 1 more violation(s))"},
		{"termination", OrderedTerminationInput{From: 3, To: 1}.Judge(threeUp().down(1).down(2).timeline()),
			"ordered termination: web-1 (ordinal 1) began terminating while successor(s) web-2 were not yet Deleted (termination must go from 2 down to 1, one pod at a time)"},
		{"rolling update", RollingUpdateInput{Replicas: 3, OldRevision: "r1", NewRevision: "r2"}.Judge(threeUp().replace(0, "r2").replace(1, "r2").replace(2, "r2").timeline()),
			"rolling update: web-0 (ordinal 0, revision r1) began terminating while successor(s) web-1, web-2 were not yet on revision r2 and Running and Ready (updates go from ordinal 2 down to 0, one pod at a time) (and 1 more violation(s))"},
		{"missing evidence", OrderedCreationInput{From: 0, To: 3}.Judge(newScript().timeline()),
			"ordered creation: evidence lacks pods web-0..web-2: the timeline holds 0 events for them; it holds no events at all (timeline of ns/web)"},
	}
	for _, c := range cases {
		if c.err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if got := firstLine(c.err.Error()); got != c.want {
			t.Errorf("%s: first line\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

func TestViolationsDetailsEveryViolationAndTheDocumentOnce(t *testing.T) {
	err := OrderedCreationInput{From: 0, To: 3}.Judge(newScript().create(0, "r1").create(1, "r1").create(2, "r1").timeline())
	msg := err.Error()
	for _, want := range []string{"\n[1/2] ordered creation: web-1", "\n  offending event: #2 Created web-1", "\n[2/2] ordered creation: web-2", "\n    web-0 uid=uid-0-1"} {
		if !strings.Contains(msg, want) {
			t.Errorf("details lack %q:\n%s", want, msg)
		}
	}
	if n := strings.Count(msg, "documented, ordered creation: "); n != 1 {
		t.Errorf("the documented rule is quoted %d times, want once:\n%s", n, msg)
	}
}

func TestExplain(t *testing.T) {
	vs := OrderedCreationInput{From: 0, To: 2}.Judge(newScript().create(0, "r1").create(1, "r1").timeline())
	if Explain(nil) != "" {
		t.Error("Explain(nil) must be empty")
	}
	if got := Explain(errors.New("plain")); got != "plain" {
		t.Errorf("Explain(plain) = %q", got)
	}
	wrapped := fmt.Errorf("ns/web: guarantee violated:\n%w", vs)
	got := Explain(wrapped)
	if !strings.HasPrefix(got, "ordered creation: web-1 (ordinal 1) was created while predecessor(s) web-0") {
		t.Errorf("Explain of a wrapped error must lead with the rule:\n%s", got)
	}
	if !strings.HasSuffix(got, "\ncontext: ns/web: guarantee violated") {
		t.Errorf("Explain must keep the wrapper's words as context:\n%s", got)
	}
}

// What a spec's failure shows: Gomega's Succeed prints Explain's text,
// rule first, and HaveOccurred does not dump the events' fields.
func TestGomegaShowsTheRuleFirst(t *testing.T) {
	var failure string
	g := gomega.NewGomega(func(message string, _ ...int) { failure = message })
	err := OrderedCreationInput{From: 0, To: 2}.Judge(newScript().create(0, "r1").create(1, "r1").timeline())

	g.Expect(err).To(gomega.Succeed())
	if want := "ordered creation: web-1 (ordinal 1) was created while predecessor(s) web-0 were not Running and Ready"; firstLine(failure) != want {
		t.Errorf("Succeed's failure starts %q, want %q", firstLine(failure), want)
	}

	// Gomega asks only the outermost value for GomegaString, so a wrapped
	// error is dumped; Succeed finds the explanation through wrapping.
	g.Expect(err).NotTo(gomega.HaveOccurred())
	if !strings.Contains(failure, "1 violation(s), explained above") || strings.Contains(failure, "ResourceVersion:") {
		t.Errorf("HaveOccurred dumped the value:\n%s", failure)
	}

	g.Expect(fmt.Errorf("judging: %w", err)).To(gomega.Succeed())
	if !strings.HasPrefix(failure, "ordered creation: web-1 (ordinal 1)") {
		t.Errorf("a wrapped violation shown as %q", firstLine(failure))
	}

	g.Expect(OrderedCreationInput{From: 0, To: 2}.Judge(newScript().timeline())).To(gomega.Succeed())
	if !strings.HasPrefix(failure, "ordered creation: evidence lacks pods web-0..web-1") {
		t.Errorf("missing evidence shown as %q", firstLine(failure))
	}
}

func TestCause(t *testing.T) {
	if got := Cause(nil); got != "the recording so far breaks no rule; the wait below failed on its own" {
		t.Errorf("Cause(nil) = %q", got)
	}
	vs := OrderedTerminationInput{From: 3, To: 1}.Judge(threeUp().down(1).down(2).timeline())
	if got := Cause(vs); !strings.HasPrefix(got, "ordered termination: web-1 (ordinal 1) began terminating while successor(s) web-2") {
		t.Errorf("Cause(violations) = %q", got)
	}
}
