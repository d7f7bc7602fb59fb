package report

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/timeline"
)

// recordedCheck is a check as a spec writes it into its timeline.
func recordedCheck(t *testing.T, tl timeline.Timeline, c guarantee.Check, expect string) timeline.Check {
	t.Helper()
	rc, err := guarantee.Record(tl, c, expect)
	if err != nil {
		t.Fatal(err)
	}
	return rc
}

// withChecks is a recorded testdata timeline as the current suite writes
// it: schema 2, with the checks its spec made.
func withChecks(t *testing.T, src string, checks ...timeline.Check) string {
	t.Helper()
	tl := readTimeline(t, src)
	tl.Checks = checks
	data, err := json.Marshal(tl)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// The report judges again every check a spec recorded, on the window it
// judged: a recording that breaks a recorded check fails its guarantee
// even though the spec passed, and a contrast case fails it only when it
// no longer breaks the rule it must break. A recording from before checks
// were recorded (schema 1) is judged by the checkers that need nothing but
// the timeline; the goldens show that.
func TestReportJudgesRecordedChecksAgain(t *testing.T) {
	rolling := readTimeline(t, "rolling-update-synthetic.json").Since(12)
	update := guarantee.RollingUpdateInput{Replicas: 3, OldRevision: "web-5869f5d8fb", NewRevision: "web-7d4b9c6f5d"}
	held := recordedCheck(t, rolling, update, "")
	partitioned := update
	partitioned.Partition = 1
	broken := recordedCheck(t, rolling, partitioned, "")

	parallel := readTimeline(t, "parallel-creation.json")
	ordered := readTimeline(t, "ordered-creation.json")
	contrast := guarantee.OrderedCreationInput{To: 3}

	spec := func(d, text, label, slug string) types.SpecReport {
		return spec(d, text, labels(label), types.SpecStatePassed, timelineEntry(slug))
	}
	cases := []struct {
		name       string
		label      string
		literal    string
		want       Verdict
		reasonHas  string
		wantChecks []string
	}{
		{"a recorded check that holds", "RollingUpdate", withChecks(t, "rolling-update-synthetic.json", held), Verified, "its only spec passed", []string{"rolling-update"}},
		{"a recorded check the recording breaks", "RollingUpdate", withChecks(t, "rolling-update-synthetic.json", held, broken), Failed,
			"shows 3 violation(s), first: web-0 (ordinal 0) is below partition 1 but began terminating", []string{"rolling-update"}},
		{"a contrast case that breaks the rule", "Parallel", withChecks(t, "parallel-creation.json", recordedCheck(t, parallel, contrast, timeline.Violated)), Verified, "its only spec passed", []string{"ordered-creation"}},
		{"a contrast case that holds", "Parallel", withChecks(t, "ordered-creation.json", recordedCheck(t, ordered, contrast, timeline.Violated)), Failed,
			"first: ordered creation: creation from 0 to 3 replicas held, but this contrast case must break it", []string{"ordered-creation"}},
		// Schema 2 without checks: nothing to judge again, and the
		// OrderedCreation label does not make the report guess.
		{"a current recording without checks", "OrderedCreation", withChecks(t, "parallel-creation.json"), Verified, "its only spec passed", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := ginkgoReport("", spec("StatefulSet x", "does y", c.label, "x"))
			dir := run{ginkgo: g, literals: map[string]string{"timelines/x--web.json": c.literal}}.materialise(t)
			r, err := Build(Input{Ginkgo: g, ArtifactsDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			res := r.guarantee(c.label)
			if res.Verdict != c.want || !strings.Contains(res.Reason, c.reasonHas) {
				t.Errorf("%s: %s (%s), want %s with %q", c.label, res.Verdict, res.Reason, c.want, c.reasonHas)
			}
			if len(res.Timelines) != 1 || !slices.Equal(res.Timelines[0].Checked, c.wantChecks) {
				t.Errorf("checked %v, want %v", res.Timelines[0].Checked, c.wantChecks)
			}
		})
	}
}
