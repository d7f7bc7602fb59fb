package statefulset

import (
	"strings"
	"testing"
)

func TestKeptRevisions(t *testing.T) {
	created := []string{"r1", "r2", "r3", "r4", "r5"}
	hist := func(names ...string) []Revision {
		var out []Revision
		for i, n := range names {
			out = append(out, Revision{Number: int64(i + 1), Name: n})
		}
		return out
	}
	cases := []struct {
		name    string
		history []Revision
		inUse   []string
		wantIn  string
	}{
		{"the newest two and the one in use", hist("r3", "r4", "r5"), []string{"r5"}, ""},
		{"an old revision in use is kept beside the newest two", hist("r1", "r3", "r4", "r5"), []string{"r5", "r1"}, ""},
		{"never pruned", hist("r1", "r2", "r3", "r4", "r5"), []string{"r5"}, "kept beyond the limit [r1 r2]"},
		{"pruned too early", hist("r4", "r5"), []string{"r5"}, "pruned too early [r3]"},
		{"pruned a revision in use", hist("r3", "r4", "r5"), []string{"r5", "r1"}, "pruned too early [r1]"},
	}
	for _, c := range cases {
		err := KeptRevisions(c.history, created, c.inUse, 2)
		switch {
		case c.wantIn == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.wantIn != "" && (err == nil || !strings.Contains(err.Error(), c.wantIn)):
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.wantIn)
		}
	}
}
