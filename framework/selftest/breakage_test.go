package selftest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/stsconform/stsconform/fixtures"
	"github.com/stsconform/stsconform/framework/cluster"
	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/spectree"
)

// Every breakage has a valid kind config, a label filter Ginkgo accepts,
// rules that can fail, and verdicts only for declared guarantees.
func TestBreakagesAreComplete(t *testing.T) {
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
		for _, r := range append(b.MustFail, b.MustPass...) {
			if _, err := types.ParseLabelFilter(r.Filter); err != nil || r.Filter == "" {
				t.Errorf("%s: rule filter %q: %v", b.Name, r.Filter, err)
			}
		}
		for l := range b.Guarantees {
			if _, ok := guarantee.Lookup(l); !ok {
				t.Errorf("%s: guarantee %q is not declared", b.Name, l)
			}
		}
	}
}

// Every rule selects, within its breakage's label filter, at least as many
// specs of the suite as it needs: read from the suite's source, so that a
// renamed or relabelled spec fails here, not after a selftest run.
func TestRulesSelectSpecsOfTheSuite(t *testing.T) {
	specs, err := spectree.Walk(filepath.Join("..", "..", "suites", "statefulset"), spectree.Declared)
	if err != nil {
		t.Fatal(err)
	}
	var refs []spectree.Reference
	for _, b := range Breakages() {
		for i, r := range append(b.MustFail, b.MustPass...) {
			refs = append(refs, spectree.Reference{Where: fmt.Sprintf("breakage %s, rule %d (%s)", b.Name, i+1, r), Filter: r.Filter, Within: b.LabelFilter, AtLeast: r.AtLeast})
		}
	}
	for _, err := range spectree.Unmatched(specs, refs) {
		t.Error(err)
	}
}
