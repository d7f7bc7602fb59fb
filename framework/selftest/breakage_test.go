package selftest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/stsconform/stsconform/fixtures"
	"github.com/stsconform/stsconform/framework/cluster"
	"github.com/stsconform/stsconform/framework/report"
)

// Every breakage has a valid kind config, a label filter Ginkgo accepts,
// rules that can fail, and verdicts only for guarantees the report knows.
func TestBreakagesAreComplete(t *testing.T) {
	known := map[string]bool{}
	for _, g := range report.Catalogue() {
		known[g.Label] = true
	}
	for _, b := range Breakages() {
		data, err := b.KindConfig()
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(t.TempDir(), KindConfigFile)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := cluster.ValidateKindConfig(p); err != nil {
			t.Errorf("%s: %v", b.Name, err)
		}
		_, err = fixtures.SelftestFile(b.Name, ManifestFile)
		if (len(b.Restart) > 0 || b.Mutated != nil) && errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s restarts or waits for a change but has no %s", b.Name, ManifestFile)
		}
		if _, err := types.ParseLabelFilter(b.LabelFilter); err != nil {
			t.Errorf("%s: label filter %q: %v", b.Name, b.LabelFilter, err)
		}
		if len(b.MustFail) == 0 || len(b.MustPass) == 0 {
			t.Errorf("%s: needs specs that must fail and a control that must pass", b.Name)
		}
		for _, r := range b.MustFail {
			if r.AtLeast < 1 || r.FirstLine == nil || r.Within <= 0 {
				t.Errorf("%s: rule %s cannot fail: AtLeast, FirstLine and Within are required", b.Name, r)
			}
		}
		for l := range b.Guarantees {
			if !known[l] {
				t.Errorf("%s: guarantee %q is not in the report's catalogue", b.Name, l)
			}
		}
	}
}
