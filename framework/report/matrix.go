package report

import (
	"bytes"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/stsconform/stsconform/framework/artifact"
)

// Output files of a matrix report.
const (
	MatrixHTMLFile     = "matrix.html"
	MatrixMarkdownFile = "matrix.md"
)

// Matrix is several runs side by side, one column each (a cluster, a
// Kubernetes minor): the guarantees as rows, each cell the run's verdict
// linking to its report, and the environment rows that differ.
type Matrix struct {
	Generated string
	Columns   []matrixColumn
	Rows      []matrixRow
	// Env are the environment's rows, those that differ between the
	// columns first (Differs set).
	Env []envRow
}

type matrixColumn struct {
	Name    string
	Version string // the Kubernetes server's
	Verdict Verdict
	Reasons []string
	Counts  counts
	Report  string // link to the run's report.html, relative to the matrix; empty when there is none
	Err     string // why the run could not be read: its cells are empty
}

type matrixRow struct {
	Guarantee
	Cells []matrixCell
}

type matrixCell struct {
	Verdict Verdict // empty: the run could not be read
	Reason  string
	Link    string
	Flaky   bool
}

type envRow struct {
	Name    string
	Values  []string
	Differs bool
}

// BuildMatrix reads each artifacts directory as Load does (the verdicts
// are judged from the evidence, not copied from a certification.json)
// and lays them out, with links relative to out, where the matrix is to
// be written. A directory that cannot be read is a column saying why.
func BuildMatrix(dirs []string, out string) (*Matrix, error) {
	if len(dirs) == 0 {
		return nil, errors.New("matrix: no artifacts directory given")
	}
	m := &Matrix{Generated: stampUTC(time.Now())}
	names := columnNames(dirs)
	var envs []*Environment
	var reports []*Report
	for i, dir := range dirs {
		c := matrixColumn{Name: names[i]}
		r, err := Load(dir)
		if err != nil {
			c.Err = err.Error()
			envs, reports = append(envs, nil), append(reports, nil)
			m.Columns = append(m.Columns, c)
			continue
		}
		c.Version, c.Verdict, c.Reasons, c.Counts = r.env.ServerVersion, r.verdict, r.reasons, r.counts
		if _, err := os.Stat(filepath.Join(dir, HTMLFile)); err == nil {
			c.Report = link(out, filepath.Join(dir, HTMLFile))
		}
		envs, reports = append(envs, &r.env), append(reports, r)
		m.Columns = append(m.Columns, c)
	}
	for _, g := range catalogue {
		row := matrixRow{Guarantee: g}
		for i, r := range reports {
			if r == nil {
				row.Cells = append(row.Cells, matrixCell{})
				continue
			}
			cell := matrixCell{}
			for _, res := range r.guarantees {
				if res.Label == g.Label {
					cell.Verdict, cell.Reason, cell.Flaky = res.Verdict, res.Reason, r.flaky(res)
				}
			}
			if m.Columns[i].Report != "" {
				cell.Link = m.Columns[i].Report + "#g-" + g.Label
			}
			row.Cells = append(row.Cells, cell)
		}
		m.Rows = append(m.Rows, row)
	}
	m.Env = environmentRows(envs, reports)
	return m, nil
}

// flaky reports whether a spec of the guarantee passed only when re-run.
func (r *Report) flaky(g *guaranteeResult) bool {
	if r.rerun == nil {
		return false
	}
	for _, s := range r.rerun.Specs {
		if s.Flaky && slices.ContainsFunc(g.Specs, func(res *specResult) bool { return res.Text == s.Spec }) {
			return true
		}
	}
	return false
}

// columnNames are the directories' base names (e2e-v1.34), with as much
// of the path as tells two of the same name apart.
func columnNames(dirs []string) []string {
	names := make([]string, len(dirs))
	for depth := 1; ; depth++ {
		seen := map[string]int{}
		for i, d := range dirs {
			parts := strings.Split(filepath.ToSlash(filepath.Clean(d)), "/")
			names[i] = strings.Join(parts[max(0, len(parts)-depth):], "/")
			seen[names[i]]++
		}
		unique := true
		for _, n := range seen {
			unique = unique && n == 1
		}
		if unique || depth > 8 {
			return names
		}
	}
}

// link is target relative to the directory out, as a URL path.
func link(out, target string) string {
	absOut, err1 := filepath.Abs(out)
	absTarget, err2 := filepath.Abs(target)
	if err1 == nil && err2 == nil {
		if rel, err := filepath.Rel(absOut, absTarget); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(absTarget)
}

// environmentRows states each column's environment in comparable rows:
// the differing ones first, then those all columns share.
func environmentRows(envs []*Environment, reports []*Report) []envRow {
	type field struct {
		name string
		get  func(e *Environment) string
	}
	// compareBy, for a field named in it, is what the columns are compared
	// by instead of what get shows.
	compareBy := map[string]func(e *Environment) string{}
	distinct := func(e *Environment, f func(Node) string) string {
		var vals []string
		for _, n := range e.Nodes {
			if v := f(n); v != "" && !slices.Contains(vals, v) {
				vals = append(vals, v)
			}
		}
		return strings.Join(vals, ", ")
	}
	support := map[*Environment]string{}
	for i, r := range reports {
		if r != nil {
			support[envs[i]] = r.support.Reason
		}
	}
	fields := []field{
		{"Kubernetes server", func(e *Environment) string { return e.ServerVersion }},
		{"Support window", func(e *Environment) string { return support[e] }},
		{"Nodes", func(e *Environment) string { return nodeCount(e.Nodes) }},
		{"Kubelet", func(e *Environment) string { return distinct(e, func(n Node) string { return n.KubeletVersion }) }},
		{"Container runtime", func(e *Environment) string {
			return distinct(e, func(n Node) string { return n.ContainerRuntimeVersion })
		}},
		{"OS image", func(e *Environment) string { return distinct(e, func(n Node) string { return n.OSImage }) }},
		{"Kernel", func(e *Environment) string { return distinct(e, func(n Node) string { return n.KernelVersion }) }},
		{"CNI", func(e *Environment) string { return e.CNI.String() }},
		{"Storage classes", func(e *Environment) string { return storageClasses(e.StorageClasses) }},
		{"Node image", func(e *Environment) string {
			if !e.Cluster.Created {
				return "existing cluster"
			}
			return e.Cluster.NodeImage.String()
		}},
		{"Host cgroup", func(e *Environment) string {
			if !e.Cluster.Created {
				return "existing cluster"
			}
			return e.Cluster.HostCgroup.String()
		}},
	}
	// Controller settings (node-monitor-grace-period, feature gates when
	// recorded) by name, as many as any column has.
	var settings []string
	for _, e := range envs {
		if e == nil {
			continue
		}
		for _, s := range e.ControllerSettings {
			if !slices.Contains(settings, s.Name) {
				settings = append(settings, s.Name)
			}
		}
	}
	for _, name := range settings {
		fields = append(fields, field{name, func(e *Environment) string {
			for _, s := range e.ControllerSettings {
				if s.Name == name {
					return s.String()
				}
			}
			return "not recorded"
		}})
	}
	// Feature gates by name, as many as any column recorded: the
	// StatefulSet behaviour a column certified depends on them.
	var gates []string
	for _, e := range envs {
		if e == nil {
			continue
		}
		for _, g := range e.FeatureGates {
			if !slices.Contains(gates, g.Name) {
				gates = append(gates, g.Name)
			}
		}
	}
	gate := func(e *Environment, name string, show func(Setting) string) string {
		for _, g := range e.FeatureGates {
			if g.Name == name {
				return "kube-apiserver " + show(g.APIServer) + "; kube-controller-manager " + show(g.ControllerManager)
			}
		}
		return "not recorded"
	}
	// A gate is compared by its state: unknown in two columns, each
	// reason naming its own release, is no difference between them.
	state := func(s Setting) string {
		if s.Value != "" {
			return s.Value
		}
		return "unknown"
	}
	for _, name := range gates {
		fields = append(fields, field{"Feature gate " + name, func(e *Environment) string { return gate(e, name, Setting.String) }})
		compareBy["Feature gate "+name] = func(e *Environment) string { return gate(e, name, state) }
	}
	fields = append(fields,
		field{"Suite version", func(e *Environment) string { return e.SuiteVersion }},
		field{"Suite commit", func(e *Environment) string { return e.SuiteCommit }},
		field{"Run ID", func(e *Environment) string { return e.RunID }},
	)
	var differ, same []envRow
	for _, f := range fields {
		row := envRow{Name: f.name}
		var keys []string
		for _, e := range envs {
			v, k := "no report", "no report"
			if e != nil {
				v = orUnknown(f.get(e))
				k = v
				if by := compareBy[f.name]; by != nil {
					k = by(e)
				}
			}
			row.Values = append(row.Values, v)
			keys = append(keys, k)
		}
		for _, k := range keys[1:] {
			row.Differs = row.Differs || k != keys[0]
		}
		if f.name == "Run ID" {
			// Every run has its own; that they differ says nothing.
			row.Differs = false
		}
		if row.Differs {
			differ = append(differ, row)
		} else {
			same = append(same, row)
		}
	}
	return append(differ, same...)
}

func nodeCount(nodes []Node) string {
	if len(nodes) == 0 {
		return ""
	}
	cp := 0
	for _, n := range nodes {
		if slices.Contains(n.Roles, "control-plane") {
			cp++
		}
	}
	return fmt.Sprintf("%d (%d control plane, %d workers)", len(nodes), cp, len(nodes)-cp)
}

func storageClasses(scs []StorageClass) string {
	var out []string
	for _, s := range scs {
		v := s.Name + " (" + s.Provisioner
		if s.Default {
			v += ", default"
		}
		out = append(out, v+")")
	}
	return strings.Join(out, ", ")
}

var matrixFuncs = map[string]any{
	"class": class,
	"icon":  icon,
	"md":    mdText,
	"code":  mdCode,
	"clip":  func(s string) string { return clip(headline(s), 160) },
}

var (
	matrixHTML = htmltemplate.Must(htmltemplate.New("matrix.html.tmpl").Funcs(matrixFuncs).ParseFS(templates, "templates/matrix.html.tmpl"))
	matrixMD   = template.Must(template.New("matrix.md.tmpl").Funcs(matrixFuncs).ParseFS(templates, "templates/matrix.md.tmpl"))
)

// Write renders matrix.html (self-contained, like report.html) and its
// Markdown twin matrix.md into dir.
func (m *Matrix) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("writing matrix: %w", err)
	}
	var errs []error
	for _, out := range []struct {
		name string
		exec func(*bytes.Buffer) error
	}{
		{MatrixHTMLFile, func(b *bytes.Buffer) error { return matrixHTML.Execute(b, m) }},
		{MatrixMarkdownFile, func(b *bytes.Buffer) error { return matrixMD.Execute(b, m) }},
	} {
		var b bytes.Buffer
		err := out.exec(&b)
		if err == nil {
			err = artifact.WriteFile(filepath.Join(dir, out.name), b.Bytes(), 0o644)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("writing %s: %w", out.name, err))
		}
	}
	return errors.Join(errs...)
}

// Certified reports whether every column's run is certified.
func (m *Matrix) Certified() bool {
	for _, c := range m.Columns {
		if c.Verdict != Certified {
			return false
		}
	}
	return true
}

// Summary is the matrix in a few console lines: each column's verdict.
func (m *Matrix) Summary() string {
	var b strings.Builder
	for _, c := range m.Columns {
		switch {
		case c.Err != "":
			fmt.Fprintf(&b, "  %-24s no report: %s\n", c.Name, clip(c.Err, 160))
		default:
			fmt.Fprintf(&b, "  %-24s %-11s %s (%d passed, %d failed, %d skipped)\n", c.Name, strings.ToUpper(string(c.Verdict)), orUnknown(c.Version), c.Counts.Passed, c.Counts.Failed, c.Counts.Skipped)
		}
	}
	return b.String()
}
