package report

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// matrixRuns lays out three columns under one directory, as the CI job
// downloads them: a passing v1.34 run (one spec flaky after a re-run), a
// failing v1.33 run on another runtime, and a directory with no report.
func matrixRuns(t *testing.T) (root string, dirs []string) {
	t.Helper()
	root = t.TempDir()
	place := func(name string, r run) string {
		src := writeScenario(t, r)
		dst := filepath.Join(root, name)
		if err := os.Rename(src, dst); err != nil {
			t.Fatal(err)
		}
		return dst
	}
	v134 := place("e2e-v1.34", passingRun())
	h := &Rerun{
		Attempts: []Attempt{{Number: 1, Dir: "attempts/1"}, {Number: 2, Dir: "attempts/2"}},
		Specs: []RerunSpec{{Spec: dCreation + " " + itCreation, Flaky: true, Attempts: []SpecAttempt{
			{Attempt: 1, State: "failed", Reason: "timed out waiting for web-1"}, {Attempt: 2, State: "passed"}}}},
	}
	if err := h.Write(v134); err != nil {
		t.Fatal(err)
	}
	if r, err := Load(v134); err != nil {
		t.Fatal(err)
	} else if err := r.Write(v134); err != nil {
		t.Fatal(err)
	}
	older := failingRun(t)
	older.env.ServerVersion = "v1.33.7"
	for i := range older.env.Nodes {
		older.env.Nodes[i].KubeletVersion = "v1.33.7"
		older.env.Nodes[i].ContainerRuntimeVersion = "containerd://1.7.27"
	}
	older.env.FeatureGates = []FeatureGate{{Name: "MaxUnavailableStatefulSet", Stage: "ALPHA",
		APIServer: Setting{Value: "disabled"}, ControllerManager: Setting{Value: "disabled"}}}
	v133 := place("e2e-v1.33", older)
	empty := filepath.Join(root, "e2e-v1.32")
	if err := os.MkdirAll(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	return root, []string{v134, v133, empty}
}

func TestMatrix(t *testing.T) {
	root, dirs := matrixRuns(t)
	m, err := BuildMatrix(dirs, root)
	if err != nil {
		t.Fatal(err)
	}
	var names, verdicts []string
	for _, c := range m.Columns {
		names = append(names, c.Name)
		verdicts = append(verdicts, string(c.Verdict))
	}
	if strings.Join(names, ",") != "e2e-v1.34,e2e-v1.33,e2e-v1.32" || strings.Join(verdicts, ",") != "certified,failed," {
		t.Errorf("columns %q, verdicts %q", names, verdicts)
	}
	if m.Columns[2].Err == "" || m.Columns[0].Report != "e2e-v1.34/report.html" {
		t.Errorf("columns %+v: want the empty directory's error and links relative to the matrix", m.Columns)
	}
	if len(m.Rows) != len(catalogue) {
		t.Fatalf("%d rows; want one per guarantee (%d)", len(m.Rows), len(catalogue))
	}
	creation := m.Rows[0]
	if c := creation.Cells[0]; c.Verdict != Verified || !c.Flaky || c.Link != "e2e-v1.34/report.html#g-OrderedCreation" {
		t.Errorf("OrderedCreation on v1.34: %+v; want verified, flaky, linked to its section", c)
	}
	if c := creation.Cells[2]; c.Verdict != "" {
		t.Errorf("a column with no report has a verdict: %+v", c)
	}
	if m.Env[0].Name != "Kubernetes server" || !m.Env[0].Differs || m.Env[0].Values[1] != "v1.33.7" {
		t.Errorf("first environment row %+v; want the server version, which differs", m.Env[0])
	}
	for _, r := range m.Env {
		if r.Name == "Run ID" && r.Differs {
			t.Error("run IDs are marked as a difference: every run has its own")
		}
		if r.Name == "Container runtime" && !r.Differs {
			t.Error("the container runtimes differ and are not marked")
		}
		// What a column certified depends on its gates and its place in
		// the support window: both are rows, marked where they differ.
		if r.Name == "Feature gate MaxUnavailableStatefulSet" && (!r.Differs || r.Values[1] != "kube-apiserver disabled; kube-controller-manager disabled") {
			t.Errorf("feature gate row %+v", r)
		}
		if r.Name == "Support window" && (!r.Differs || !strings.HasPrefix(r.Values[1], "v1.33.x: outside the supported window")) {
			t.Errorf("support window row %+v", r)
		}
	}
	for _, want := range []string{"Feature gate MaxUnavailableStatefulSet", "Support window", "Host cgroup"} {
		if !slices.ContainsFunc(m.Env, func(r envRow) bool { return r.Name == want }) {
			t.Errorf("no environment row %q", want)
		}
	}
	if err := m.Write(root); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(root, MatrixMarkdownFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| Ordered creation | [✅ verified](e2e-v1.34/report.html#g-OrderedCreation) ⚠️ flaky |",
		"**Kubernetes server** (differs)", "⚠️ no report"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("matrix.md lacks %q:\n%s", want, md)
		}
	}
	checkSelfContained(t, root, MatrixHTMLFile)
}

// A gate unknown in two columns, each reason naming its own release, is
// shown as read but is no difference; enabled against disabled is one.
func TestMatrixComparesGatesByState(t *testing.T) {
	unknown := func(release string) FeatureGate {
		why := Setting{Unknown: "not registered in " + release}
		return FeatureGate{Name: "PodIndexLabel", APIServer: why, ControllerManager: why}
	}
	on := Setting{Value: "enabled"}
	a := &Environment{FeatureGates: []FeatureGate{unknown("v1.37.2"), {Name: "MaxUnavailableStatefulSet", APIServer: on, ControllerManager: on}}}
	b := &Environment{FeatureGates: []FeatureGate{unknown("v1.35.4"), {Name: "MaxUnavailableStatefulSet", APIServer: Setting{Value: "disabled"}, ControllerManager: Setting{Value: "disabled"}}}}
	rows := environmentRows([]*Environment{a, b}, []*Report{nil, nil})
	find := func(name string) envRow {
		i := slices.IndexFunc(rows, func(r envRow) bool { return r.Name == name })
		if i < 0 {
			t.Fatalf("no row %q in %+v", name, rows)
		}
		return rows[i]
	}
	if r := find("Feature gate PodIndexLabel"); r.Differs || !strings.Contains(r.Values[0], "v1.37.2") || !strings.Contains(r.Values[1], "v1.35.4") {
		t.Errorf("gate unknown in both: %+v; want each reason shown and no difference", r)
	}
	if r := find("Feature gate MaxUnavailableStatefulSet"); !r.Differs {
		t.Errorf("enabled against disabled not marked: %+v", r)
	}
}

// checkSelfContained: the page loads nothing (no scripts, stylesheets or
// images by reference) and each relative link resolves to a file.
func checkSelfContained(t *testing.T, dir, page string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, page))
	if err != nil {
		t.Fatal(err)
	}
	doc := parseHTML(t, data)
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		switch n.DataAtom {
		case atom.Script, atom.Link, atom.Img, atom.Iframe, atom.Object, atom.Embed, atom.Base, atom.Form:
			t.Errorf("<%s> in %s", n.Data, page)
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") || a.Key == "src" {
				t.Errorf("<%s %s> in %s", n.Data, a.Key, page)
			}
		}
		if href, ok := attr(n, "href"); ok && n.DataAtom == atom.A {
			checkLink(t, dir, href)
		}
	})
}
