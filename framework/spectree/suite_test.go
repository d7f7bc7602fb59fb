package spectree

import (
	"path/filepath"
	"testing"
)

// suiteDir is the suite the declarations are for.
var suiteDir = filepath.Join("..", "..", "suites", "statefulset")

// The suite's specs label themselves from the declarations, and every
// declared guarantee has a spec.
func TestSuiteMatchesTheDeclarations(t *testing.T) {
	specs, err := Walk(suiteDir, Declared)
	if err != nil {
		t.Fatal(err)
	}
	if len(specs) < 20 {
		t.Fatalf("the walk found %d specs in %s; the suite has more", len(specs), suiteDir)
	}
	for _, err := range Unproven(specs) {
		t.Error(err)
	}
	for _, s := range specs {
		t.Logf("%s %v (%s)", s.Text, s.Labels, s.Pos)
	}
}
