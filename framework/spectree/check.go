package spectree

import (
	"fmt"
	"slices"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/stsconform/stsconform/framework/guarantee"
)

// Declared is the Resolve of a suite whose specs label themselves from
// framework/guarantee: guarantee.X.Label for a declared guarantee X (its
// variable is named after its label), guarantee.T for a tag. A string
// literal is refused: a label typed out again is a second declaration of
// the name, and nothing would catch its typo.
func Declared(expr string) (string, error) {
	rest, ok := strings.CutPrefix(expr, "guarantee.")
	switch {
	case strings.HasPrefix(expr, `"`):
		return "", fmt.Errorf("label %s is a string literal: label specs from framework/guarantee (guarantee.X.Label, or a tag such as guarantee.Slow)", expr)
	case !ok:
		return "", fmt.Errorf("label %s is not from framework/guarantee", expr)
	}
	if name, ok := strings.CutSuffix(rest, ".Label"); ok {
		if g, found := guarantee.Lookup(name); found {
			return g.Label, nil
		}
		return "", fmt.Errorf("label %s: no guarantee is declared as %s (declared: %s)", expr, name, strings.Join(guaranteeLabels(), ", "))
	}
	if slices.Contains(guarantee.Tags, rest) {
		return rest, nil
	}
	return "", fmt.Errorf("label %s: %s is neither a declared guarantee's label nor a tag (%s)", expr, rest, strings.Join(guarantee.Tags, ", "))
}

func guaranteeLabels() []string {
	var out []string
	for _, g := range guarantee.All() {
		out = append(out, g.Label)
	}
	return out
}

// Known are the labels a spec may carry: the guarantees' and tags, and
// Serial, which Ginkgo adds.
func Known() []string {
	return append(append(guaranteeLabels(), guarantee.Tags...), "Serial")
}

// Unproven lists the declared guarantees no spec carries: a guarantee
// without a spec would stay "not verified" in every run.
func Unproven(specs []Spec) []error {
	var errs []error
	for _, g := range guarantee.All() {
		if !slices.ContainsFunc(specs, func(s Spec) bool { return slices.Contains(s.Labels, g.Label) }) {
			errs = append(errs, fmt.Errorf("guarantee %s is declared, but no spec carries its label", g.Label))
		}
	}
	return errs
}

// Reference is a selection of specs made outside the suite, such as a
// selftest rule: the specs Filter selects among those Within selects
// (both Ginkgo label filters; "" selects all) must be at least AtLeast.
type Reference struct {
	// Where names the reference in a problem.
	Where   string
	Filter  string
	Within  string
	AtLeast int
}

// Unmatched lists the references that select fewer specs than they need,
// or name a label no spec may carry (a negated typo would select too many,
// not too few).
func Unmatched(specs []Spec, refs []Reference) []error {
	var errs []error
	for _, r := range refs {
		var bad []string
		for _, f := range []string{r.Filter, r.Within} {
			for _, l := range FilterLabels(f) {
				if !slices.Contains(Known(), l) {
					bad = append(bad, l)
				}
			}
		}
		if len(bad) > 0 {
			errs = append(errs, fmt.Errorf("%s: label(s) %s in %q are not declared", r.Where, strings.Join(bad, ", "), r.Filter+" within "+r.Within))
			continue
		}
		selects, err := types.ParseLabelFilter(r.Filter)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: filter %q: %w", r.Where, r.Filter, err))
			continue
		}
		within, err := types.ParseLabelFilter(r.Within)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: filter %q: %w", r.Where, r.Within, err))
			continue
		}
		n := 0
		for _, s := range specs {
			if within(s.Labels) && selects(s.Labels) {
				n++
			}
		}
		if n < r.AtLeast {
			errs = append(errs, fmt.Errorf("%s: %q selects %d spec(s) of the suite within %q, want at least %d", r.Where, r.Filter, n, r.Within, r.AtLeast))
		}
	}
	return errs
}

// FilterLabels are the labels a Ginkgo label filter names: what is left
// between its operators (&&, ||, !, parentheses, commas).
func FilterLabels(filter string) []string {
	return strings.FieldsFunc(filter, func(r rune) bool { return strings.ContainsRune("&|!(), ", r) })
}
