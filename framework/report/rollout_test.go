package report

import (
	"fmt"
	"testing"

	"github.com/stsconform/stsconform/framework/guarantee"
)

func TestSyntheticRollingUpdateIsValid(t *testing.T) {
	tl := readTimeline(t, "rolling-update-synthetic.json")
	in := guarantee.RollingUpdateInput{Replicas: 3, OldRevision: "web-5869f5d8fb", NewRevision: "web-7d4b9c6f5d"}
	if err := in.Judge(tl.Since(12)); err != nil {
		t.Fatalf("the synthetic rolling update must be a correct one: %v", err)
	}
}

func TestRolloutHistory(t *testing.T) {
	tl := readTimeline(t, "rolling-update-synthetic.json")
	render := func(rs []revision) string {
		s := ""
		for _, r := range rs {
			s += fmt.Sprintf("%d %s %s #%d %v; ", r.Number, r.Name, r.Image, r.FirstSeq, r.Pods)
		}
		return s
	}
	for _, tc := range []struct {
		name    string
		entries []string
		want    string
	}{
		{"numbered by the spec, in kubectl's order", []string{"[revision 2 web-7d4b9c6f5d revision 1 web-5869f5d8fb]"},
			"1 web-5869f5d8fb localhost/stsconform/web:1 #1 [web-0 web-1 web-2]; 2 web-7d4b9c6f5d localhost/stsconform/web:2 #16 [web-0 web-1 web-2]; "},
		{"not numbered: first-seen order, no invented numbers", nil,
			"0 web-5869f5d8fb localhost/stsconform/web:1 #1 [web-0 web-1 web-2]; 0 web-7d4b9c6f5d localhost/stsconform/web:2 #16 [web-0 web-1 web-2]; "},
		{"a reported revision no pod ran, and another set's revision ignored", []string{`["revision 1 web-5869f5d8fb","revision 2 web-7d4b9c6f5d","revision 3 web-66b8d7f5c9","revision 1 db-5869f5d8fb"]`},
			"1 web-5869f5d8fb localhost/stsconform/web:1 #1 [web-0 web-1 web-2]; 2 web-7d4b9c6f5d localhost/stsconform/web:2 #16 [web-0 web-1 web-2]; 3 web-66b8d7f5c9  #0 []; "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := render(rolloutOf(tl, tc.entries)); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
	if got := rolloutOf(readTimeline(t, "ordered-creation.json"), nil); got != nil {
		t.Errorf("a set that ran one revision has a rollout history: %v", got)
	}
}
