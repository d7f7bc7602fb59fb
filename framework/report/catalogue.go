package report

import "github.com/stsconform/stsconform/framework/guarantee"

// Guarantee is one documented StatefulSet behaviour the suite proves, as
// the report states it: its declaration (guarantee.All) without the
// checkers. Specs name the guarantees they prove with Ginkgo labels equal
// to Label.
type Guarantee struct {
	Label string `json:"label"`
	Title string `json:"title"`
	// Statement is what the Kubernetes documentation promises, in one
	// sentence, so that a verdict can be read without the suite's source.
	Statement string `json:"statement"`
	// Doc is the documentation page that makes the promise.
	Doc string `json:"doc"`
}

// catalogue is in the order the report presents the guarantees, which is
// the order they are declared in.
var catalogue = func() []Guarantee {
	var out []Guarantee
	for _, g := range guarantee.All() {
		out = append(out, Guarantee{Label: g.Label, Title: g.Title, Statement: g.Statement, Doc: g.Doc})
	}
	return out
}()

// Catalogue returns the guarantees the report judges, in report order. It
// is a copy: the table is the package's contract with the suite's labels.
func Catalogue() []Guarantee {
	return append([]Guarantee(nil), catalogue...)
}
