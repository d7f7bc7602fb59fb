package guarantee

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stsconform/stsconform/framework/timeline"
)

// inputs is one zero input of every checker this package implements.
var inputs = []Check{
	OrderedCreationInput{}, HeldBlocksInput{}, OrderedTerminationInput{}, ScaleDownHaltInput{},
	ParallelTerminationInput{}, RollingUpdateInput{}, PartitionHeldInput{}, FailedReplacedInput{},
	PodIndexInput{}, StartOrdinalInput{}, OnDeleteInput{},
	ClaimRetentionInput{}, AdoptionInput{},
	AvailableInput{}, MaxUnavailableInput{},
	RecreateInput{}, StatusCountersInput{},
}

// Every checker is reachable through the declarations, under one name, by
// exactly one guarantee: a checker left out of Guarantee.Checkers could
// not be judged again from a recording.
func TestEveryCheckerIsDeclared(t *testing.T) {
	by := map[string][]string{}
	for _, g := range All() {
		for _, c := range g.Checkers {
			by[c.Name] = append(by[c.Name], g.Label)
		}
	}
	for _, in := range inputs {
		c := in.Checker()
		if got, ok := LookupChecker(c.Name); !ok || got != c {
			t.Errorf("%T: checker %q is declared by no guarantee", in, c.Name)
		}
		if len(by[c.Name]) != 1 {
			t.Errorf("checker %q is declared by %v, want exactly one guarantee", c.Name, by[c.Name])
		}
		if c.Zero() == nil || c.Rule.Name == "" || c.Judges == "" {
			t.Errorf("checker %q lacks its input, rule or summary", c.Name)
		}
	}
	if len(Checkers()) != len(inputs) {
		t.Errorf("%d checkers declared, %d inputs known to this test: add the new input to inputs", len(Checkers()), len(inputs))
	}
}

// Each guarantee variable is named after its label (how the walk of the
// suite's source resolves guarantee.X.Label) and listed in declared once.
func TestEveryGuaranteeIsDeclaredOnce(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("guarantees.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				lit, ok := vs.Values[i].(*ast.CompositeLit)
				if !ok || lit.Type == nil || types(lit.Type) != "Guarantee" {
					continue
				}
				vars[name.Name] = labelOf(lit)
			}
		}
	}
	if len(vars) == 0 {
		t.Fatal("no guarantee declarations found in guarantees.go")
	}
	seen := map[string]bool{}
	for _, g := range All() {
		if seen[g.Label] {
			t.Errorf("%s is in declared twice", g.Label)
		}
		seen[g.Label] = true
	}
	for name, label := range vars {
		if name != label {
			t.Errorf("guarantee variable %s has label %q: name it after its label", name, label)
		}
		if !seen[label] {
			t.Errorf("guarantee %s is declared but not in declared: the report would never judge it", name)
		}
	}
	for _, tag := range Tags {
		if _, ok := Lookup(tag); ok {
			t.Errorf("tag %s is also a guarantee's label", tag)
		}
	}
}

func types(e ast.Expr) string {
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

func labelOf(lit *ast.CompositeLit) string {
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok || types(kv.Key) != "Label" {
			continue
		}
		if bl, ok := kv.Value.(*ast.BasicLit); ok {
			s, _ := strconv.Unquote(bl.Value)
			return s
		}
	}
	return ""
}

type recorded []timeline.Check

func (r *recorded) RecordCheck(c timeline.Check) { *r = append(*r, c) }

// A check recorded with its window is judged again, from the file, to the
// same verdict; an edit of the recording that breaks the guarantee is
// caught, and so is a contrast case that no longer breaks it.
func TestRecordedChecksAreJudgedAgain(t *testing.T) {
	s := threeUp()
	mark := len(s.events)
	s.note("scaling 3 -> 1")
	// web-0 goes after the judged window, as the API spec's later steps
	// replace the pod its scale-down kept: judged on the whole recording,
	// the scale-down would look broken.
	whole := s.down(2).down(1).down(0).timeline()
	judged := whole.Through(mark + 6).Since(mark)
	var rec recorded
	in := OrderedTerminationInput{From: 3, To: 1}
	if err := Judge(&rec, judged, in); err != nil {
		t.Fatal(err)
	}
	contrastCase := OrderedCreationInput{From: 0, To: 3}
	parallel := newScript().create(0, "r1").create(1, "r1").create(2, "r1").timeline()
	if err := JudgeViolated(&rec, parallel, contrastCase); err != nil {
		t.Fatalf("contrast case: %v", err)
	}
	if len(rec) != 2 || rec[0].Checker != "ordered-termination" || rec[0].Since != mark || rec[0].Through != mark+6 || rec[1].Expect != timeline.Violated {
		t.Fatalf("recorded %+v", rec)
	}
	if got := string(rec[0].Input); got != `{"from":3,"to":1}` {
		t.Errorf("recorded input %s", got)
	}

	whole.Checks = rec[:1]
	data, err := json.Marshal(whole)
	if err != nil {
		t.Fatal(err)
	}
	var back timeline.Timeline
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if r := Rejudge(back, back.Checks[0]); r.Problem() != nil || r.Check.String() != "scale-down from 3 to 1 replicas" {
		t.Errorf("judged again: %v (%v)", r.Problem(), r.Check)
	}
	// web-1 before web-2: what an edited file, or a controller that did it,
	// shows.
	edited := threeUp().note("scaling 3 -> 1").down(1).down(2).up(3, "r1").timeline()
	if err := Rejudge(edited, rec[0]).Problem(); err == nil || !strings.HasPrefix(err.Error(), "ordered termination: web-1 (ordinal 1) began terminating while successor(s) web-2") {
		t.Errorf("edited recording judged again: %v", err)
	}
	if err := Rejudge(parallel, rec[1]).Problem(); err != nil {
		t.Errorf("the contrast case judged again: %v", err)
	}
	longer := rec[1]
	longer.Through = 9
	if err := Rejudge(threeUp().timeline(), longer).Problem(); err == nil || !strings.HasPrefix(err.Error(), "ordered creation: creation from 0 to 3 replicas held, but this contrast case must break it") {
		t.Errorf("a contrast case that holds: %v", err)
	}
	if err := Rejudge(newScript().timeline(), rec[1]).Problem(); err == nil || !strings.Contains(err.Error(), "found no verdict: ordered creation: evidence lacks") {
		t.Errorf("a contrast case without evidence: %v", err)
	}
}

func TestRejudgeRefusesWhatItCannotJudge(t *testing.T) {
	tl := threeUp().timeline()
	for _, c := range []struct {
		rc   timeline.Check
		want string
	}{
		{timeline.Check{Checker: "nonsense", Through: 9, Input: json.RawMessage(`{}`)}, `records a check by "nonsense", which is not one of this stsconform's checkers (ordered-creation, held-blocks`},
		{timeline.Check{Checker: "ordered-creation", Through: 9, Input: json.RawMessage(`{"form":3}`)}, `input of ordered-creation (fields from, to): json: unknown field "form"`},
		{timeline.Check{Checker: "ordered-creation", Through: 9, Input: json.RawMessage(`{"to":3}`), Expect: "maybe"}, `expecting "maybe"`},
	} {
		if err := Rejudge(tl, c.rc).Problem(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.rc, err, c.want)
		}
	}
}

func TestCheckerFields(t *testing.T) {
	for name, want := range map[string][]string{
		"rolling-update":  {"replicas", "partition", "oldRevision", "newRevision"},
		"scale-down-halt": {"pod", "from", "to", "observed", "release"},
	} {
		c, _ := LookupChecker(name)
		if got := c.Fields(); !slices.Equal(got, want) {
			t.Errorf("%s fields = %v, want %v", name, got, want)
		}
	}
}
