// Package spectree reads the spec tree of a Ginkgo suite from its Go
// source, as Kubernetes' test/conformance/walk.go reads the conformance
// specs: containers, Its and table entries with their texts and labels,
// without compiling or running the suite. Its tests hold the suite to the
// declarations in framework/guarantee: every label a spec carries is
// declared, every declared guarantee has a spec, and every reference to
// specs from elsewhere (the selftest's rules) selects some.
package spectree

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Spec is one It, or one Entry of a DescribeTable, as Ginkgo will run it.
type Spec struct {
	// Text is the containers' texts and its own, joined by spaces, as
	// Ginkgo's SpecReport.FullText.
	Text string
	// Labels are its containers' labels and its own, in order and once
	// each, with "Serial" for a Serial spec, as SpecReport.Labels.
	Labels []string
	// Pos is where it is declared, file:line.
	Pos string
}

// Resolve turns the source of one Label argument (`"Slow"`,
// `guarantee.OrderedCreation.Label`) into the label, or says why it is
// not one.
type Resolve func(expr string) (string, error)

// Ginkgo's node functions, by what they make.
var (
	containers = []string{"Describe", "Context", "When", "FDescribe", "FContext", "FWhen", "PDescribe", "PContext", "PWhen", "XDescribe", "XContext", "XWhen"}
	leaves     = []string{"It", "Specify", "FIt", "FSpecify", "PIt", "PSpecify", "XIt", "XSpecify"}
	tables     = []string{"DescribeTable", "FDescribeTable", "PDescribeTable", "XDescribeTable"}
	entries    = []string{"Entry", "FEntry", "PEntry", "XEntry"}
)

// Walk reads every Go file of dir (build tags do not matter: the source is
// only parsed) and returns its specs in source order. Every node whose
// text or labels cannot be read from the source is an error, so that a
// spec cannot escape the checks by being written differently.
func Walk(dir string, resolve Resolve) ([]Spec, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	w := &walker{fset: token.NewFileSet(), resolve: resolve}
	for _, f := range files {
		file, err := parser.ParseFile(w.fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, d := range file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, s := range gd.Specs {
				for _, v := range s.(*ast.ValueSpec).Values {
					w.inspect(v, nil)
				}
			}
		}
	}
	if len(w.errs) > 0 {
		return w.specs, fmt.Errorf("%d node(s) the walk cannot read:\n  %s", len(w.errs), strings.Join(w.errs, "\n  "))
	}
	return w.specs, nil
}

type walker struct {
	fset    *token.FileSet
	resolve Resolve
	specs   []Spec
	errs    []string
}

// node is a container on the way down: its text and labels.
type node struct {
	text   string
	labels []string
}

// inspect finds the Ginkgo nodes under n; each container's own body is
// walked with it on the path.
func (w *walker) inspect(n ast.Node, path []node) {
	ast.Inspect(n, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		name := funcName(call.Fun)
		switch {
		case slices.Contains(containers, name):
			here := w.node(call, path)
			if body := lastFunc(call.Args); body != nil {
				w.inspect(body.Body, append(slices.Clone(path), here))
			}
			return false
		case slices.Contains(leaves, name):
			w.leaf(call, path, w.node(call, path))
			return false
		case slices.Contains(tables, name):
			here := w.node(call, path)
			inner := append(slices.Clone(path), here)
			for _, a := range call.Args[1:] {
				if e, ok := a.(*ast.CallExpr); ok && slices.Contains(entries, funcName(e.Fun)) {
					w.leaf(e, inner, w.node(e, inner))
				}
			}
			return false
		}
		return true
	})
}

// node reads a Ginkgo node's text (its first argument) and labels (its
// Label and Serial decorators).
func (w *walker) node(call *ast.CallExpr, path []node) node {
	var n node
	if len(call.Args) == 0 {
		w.fail(call, "no text")
		return n
	}
	if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
		n.text, _ = strconv.Unquote(lit.Value)
	} else {
		w.fail(call, "its text is not a string literal: "+types.ExprString(call.Args[0]))
	}
	for _, a := range call.Args[1:] {
		switch d := a.(type) {
		case *ast.Ident:
			if d.Name == "Serial" {
				n.labels = append(n.labels, "Serial")
			}
		case *ast.CallExpr:
			if funcName(d.Fun) != "Label" {
				continue
			}
			for _, l := range d.Args {
				label, err := w.resolve(types.ExprString(l))
				if err != nil {
					w.fail(l, fmt.Sprintf("%q: %v", n.text, err))
					continue
				}
				n.labels = append(n.labels, label)
			}
		}
	}
	return n
}

func (w *walker) leaf(call *ast.CallExpr, path []node, own node) {
	var texts, labels []string
	for _, n := range append(slices.Clone(path), own) {
		texts = append(texts, n.text)
		for _, l := range n.labels {
			if !slices.Contains(labels, l) {
				labels = append(labels, l)
			}
		}
	}
	w.specs = append(w.specs, Spec{Text: strings.Join(texts, " "), Labels: labels, Pos: w.pos(call)})
}

func (w *walker) fail(n ast.Node, why string) {
	w.errs = append(w.errs, w.pos(n)+": "+why)
}

func (w *walker) pos(n ast.Node) string {
	p := w.fset.Position(n.Pos())
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

// funcName is the called function's name, without a package qualifier.
func funcName(e ast.Expr) string {
	switch f := e.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

func lastFunc(args []ast.Expr) *ast.FuncLit {
	for i := len(args) - 1; i >= 0; i-- {
		if f, ok := args[i].(*ast.FuncLit); ok {
			return f
		}
	}
	return nil
}
