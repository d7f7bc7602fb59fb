package report

import (
	"strings"
	"testing"
)

func TestSummary(t *testing.T) {
	r := failingRun(t)
	rep, err := Build(Input{Ginkgo: r.ginkgo, Environment: r.env, ArtifactsDir: r.materialise(t)})
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Summary()
	for _, want := range []string{
		"StatefulSet conformance on v1.37.2: FAILED in 7m12s (18 passed, 2 failed, 2 skipped)",
		"  OrderedCreation  verified      all 2 specs passed",
		"  NodeFailure      failed        1 of 1 specs failed",
		"  Ensemble         not verified  1 of 1 specs did not run to the end",
		"  Cluster          not verified  no spec with this label was in the run",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
	if n := strings.Count(s, "\n"); n != 1+len(catalogue) {
		t.Errorf("summary has %d lines; want a header and one per guarantee:\n%s", n, s)
	}
}

// A server outside the support window keeps its verdict, never silently:
// the verdict's reasons, the summary and the environment say where it
// stands; inside the window nothing is added to the verdict.
func TestSupportWindowIsStated(t *testing.T) {
	for _, c := range []struct {
		server, want string
		inVerdict    bool
	}{
		{"v1.37.2", "v1.37.x: in the supported window", false},
		{"v1.33.7", "v1.33.x: outside the supported window (v1.35 to v1.37)", true},
		{"", "the server version was not read", true},
	} {
		r := passingRun()
		r.env.ServerVersion = c.server
		rep, err := Build(Input{Ginkgo: r.ginkgo, Environment: r.env, ArtifactsDir: r.materialise(t)})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Overall() != Certified {
			t.Errorf("%q: verdict %s, want certified: the window never changes a verdict", c.server, rep.Overall())
		}
		md, err := rep.markdown()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(rep.support.Reason, c.want) || !strings.Contains(string(md), c.want) {
			t.Errorf("%q: support %q, want %q in it and in the Markdown", c.server, rep.support.Reason, c.want)
		}
		stated := strings.Contains(strings.Join(rep.reasons, "\n"), c.want) && strings.Contains(rep.Summary(), c.want)
		if stated != c.inVerdict {
			t.Errorf("%q: in the verdict's reasons and summary: %v, want %v\nreasons: %q", c.server, stated, c.inVerdict, rep.reasons)
		}
	}
}
