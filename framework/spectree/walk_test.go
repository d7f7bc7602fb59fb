package spectree

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// suite writes Go files of a synthetic suite into a directory.
func suite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("//go:build e2e\n\npackage s_test\n\n"+src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const ordered = `
var _ = Describe("StatefulSet ordered creation", Label(guarantee.Conformance, guarantee.OrderedCreation.Label), func() {
	It("creates pod N+1 only after pod N is Running and Ready", SpecTimeout(t.Budget(t.Deploy())), func(ctx SpecContext) {
		helper(ctx)
	})
	Context("at scale", Serial, func() {
		It("scales from 3 to 10", Label(guarantee.Slow), func(ctx SpecContext) {})
	})
	DescribeTable("scales down", func(ctx SpecContext, from, to int) {},
		Entry("from 5 to 2", 5, 2),
		Entry("from 10 to 3", Label(guarantee.Slow, guarantee.OrderedTeardown.Label), 10, 3),
	)
})

func helper(ctx SpecContext) { By("not a spec") }
`

func TestWalk(t *testing.T) {
	specs, err := Walk(suite(t, map[string]string{"ordered_creation_test.go": ordered}), Declared)
	if err != nil {
		t.Fatal(err)
	}
	want := []Spec{
		{Text: "StatefulSet ordered creation creates pod N+1 only after pod N is Running and Ready", Labels: []string{"Conformance", "OrderedCreation"}, Pos: "ordered_creation_test.go:7"},
		{Text: "StatefulSet ordered creation at scale scales from 3 to 10", Labels: []string{"Conformance", "OrderedCreation", "Serial", "Slow"}, Pos: "ordered_creation_test.go:11"},
		{Text: "StatefulSet ordered creation scales down from 5 to 2", Labels: []string{"Conformance", "OrderedCreation"}, Pos: "ordered_creation_test.go:14"},
		{Text: "StatefulSet ordered creation scales down from 10 to 3", Labels: []string{"Conformance", "OrderedCreation", "Slow", "OrderedTeardown"}, Pos: "ordered_creation_test.go:15"},
	}
	if !reflect.DeepEqual(specs, want) {
		t.Errorf("specs:\n%+v\nwant:\n%+v", specs, want)
	}
}

// Each way a spec can carry a label that is not declared fails the walk,
// naming the spec and the label.
func TestWalkRefusesUndeclaredLabels(t *testing.T) {
	for name, c := range map[string]struct{ label, want string }{
		"a string literal":           {`"OrderedCreation"`, `ordered_creation_test.go:5: "creates": label "OrderedCreation" is a string literal`},
		"an undeclared guarantee":    {"guarantee.Flaky.Label", "label guarantee.Flaky.Label: no guarantee is declared as Flaky"},
		"an undeclared tag":          {"guarantee.Flaky", "label guarantee.Flaky: Flaky is neither a declared guarantee's label nor a tag"},
		"a label from elsewhere":     {"labels.Slow", "label labels.Slow is not from framework/guarantee"},
		"a guarantee without .Label": {"guarantee.OrderedCreation", "OrderedCreation is neither a declared guarantee's label nor a tag"},
	} {
		src := `var _ = Describe("x", func() { It("creates", Label(` + c.label + `), func() {}) })`
		_, err := Walk(suite(t, map[string]string{"ordered_creation_test.go": src}), Declared)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
	_, err := Walk(suite(t, map[string]string{"a_test.go": `var text = "x"
var _ = Describe(text, func() {})`}), Declared)
	if err == nil || !strings.Contains(err.Error(), "its text is not a string literal: text") {
		t.Errorf("a text that is not a literal: %v", err)
	}
}

// A declared guarantee that no spec carries is named.
func TestUnproven(t *testing.T) {
	specs, err := Walk(suite(t, map[string]string{"ordered_creation_test.go": ordered}), Declared)
	if err != nil {
		t.Fatal(err)
	}
	got := Unproven(specs)
	var names []string
	for _, e := range got {
		names = append(names, e.Error())
	}
	joined := strings.Join(names, "\n")
	if strings.Contains(joined, "OrderedCreation") || strings.Contains(joined, "OrderedTeardown") ||
		!strings.Contains(joined, "guarantee API is declared, but no spec carries its label") {
		t.Errorf("unproven guarantees of a suite with only OrderedCreation and OrderedTeardown specs:\n%s", joined)
	}
}

// A reference that selects fewer specs than it needs, or names a label
// nothing declares, is named; one that selects enough passes.
func TestUnmatched(t *testing.T) {
	specs, err := Walk(suite(t, map[string]string{"ordered_creation_test.go": ordered}), Declared)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		ref  Reference
		want string
	}{
		{Reference{Where: "enough", Filter: "OrderedCreation && !Slow", AtLeast: 2}, ""},
		{Reference{Where: "within", Filter: "OrderedCreation", Within: "!Slow && !Serial", AtLeast: 2}, ""},
		{Reference{Where: "too few", Filter: "OrderedCreation && !Slow", AtLeast: 3}, `too few: "OrderedCreation && !Slow" selects 2 spec(s) of the suite within "", want at least 3`},
		{Reference{Where: "a renamed label", Filter: "Partition", AtLeast: 1}, `a renamed label: "Partition" selects 0 spec(s)`},
		{Reference{Where: "a negated typo", Filter: "OrderedCreation && !Slw", AtLeast: 1}, "a negated typo: label(s) Slw in"},
		{Reference{Where: "a typo within", Filter: "OrderedCreation", Within: "!Disruptiv", AtLeast: 1}, "a typo within: label(s) Disruptiv in"},
	} {
		errs := Unmatched(specs, []Reference{c.ref})
		switch {
		case c.want == "" && len(errs) > 0:
			t.Errorf("%s: %v", c.ref.Where, errs)
		case c.want != "" && (len(errs) != 1 || !strings.Contains(errs[0].Error(), c.want)):
			t.Errorf("%s: %v, want %q", c.ref.Where, errs, c.want)
		}
	}
}
