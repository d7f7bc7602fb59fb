package spectree

import (
	"testing"

	"github.com/stsconform/stsconform/framework/report"
)

// A spec's timelines and diagnostics are files named after the slug of
// its full text, cut at report.Slug's length: two specs whose texts differ
// only past the cut (the entries of a table with a long text) would write
// one file, the later spec's evidence replacing the earlier's.
func TestSpecSlugsAreDistinct(t *testing.T) {
	specs, err := Walk(suiteDir, Declared)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]Spec{}
	for _, s := range specs {
		slug := report.Slug(s.Text)
		if was, ok := seen[slug]; ok {
			t.Errorf("%s (%s) and %s (%s) write their evidence to the same files, %s: make their texts differ within %d characters",
				was.Text, was.Pos, s.Text, s.Pos, slug, len(slug))
		}
		seen[slug] = s
	}
}
