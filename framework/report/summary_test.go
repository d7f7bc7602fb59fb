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
		"StatefulSet conformance on v1.34.3: FAILED in 7m12s (9 passed, 2 failed, 2 skipped)",
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
