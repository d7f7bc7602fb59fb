package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/stsconform/stsconform/framework/report"
)

// reportTestdata holds the timelines the report package's golden runs are
// built from (recorded on a real kind cluster, plus a synthetic rolling
// update).
const reportTestdata = "../../framework/report/testdata"

var started = time.Date(2026, 11, 22, 0, 18, 30, 0, time.UTC)

// artifactsSpec is one It of a synthetic run and the testdata timeline it
// recorded, if any.
type artifactsSpec struct {
	label, text string
	state       types.SpecState
	timeline    string
}

// artifacts lays out an artifacts directory as `make e2e` leaves it:
// Ginkgo's report.json and junit.xml, the suite's environment.json and
// timelines/. Every guarantee of the catalogue gets a passing spec unless
// specs override it.
func artifacts(t *testing.T, withEnvironment bool, specs ...artifactsSpec) string {
	t.Helper()
	dir := t.TempDir()
	byLabel := map[string]artifactsSpec{}
	for _, g := range report.Catalogue() {
		byLabel[g.Label] = artifactsSpec{label: g.Label, text: "proves " + g.Title, state: types.SpecStatePassed}
	}
	byLabel["OrderedCreation"] = artifactsSpec{"OrderedCreation", "creates pod N+1 only after pod N is Running and Ready", types.SpecStatePassed, "ordered-creation.json"}
	byLabel["RollingUpdate"] = artifactsSpec{"RollingUpdate", "replaces pods from the highest ordinal down", types.SpecStatePassed, "rolling-update-synthetic.json"}
	for _, s := range specs {
		byLabel[s.label] = s
	}
	g := types.Report{
		SuitePath: "/src/suites/statefulset", SuiteDescription: "StatefulSet conformance", SuiteSucceeded: true,
		StartTime: started, EndTime: started.Add(7 * time.Minute), RunTime: 7 * time.Minute,
		SuiteConfig: types.SuiteConfig{RandomSeed: 1763770710, ParallelTotal: 2},
		SpecReports: types.SpecReports{{LeafNodeType: types.NodeTypeSynchronizedBeforeSuite, State: types.SpecStatePassed, StartTime: started}},
	}
	for _, gu := range report.Catalogue() {
		s := byLabel[gu.Label]
		sr := types.SpecReport{
			ContainerHierarchyTexts: []string{"StatefulSet " + gu.Title}, ContainerHierarchyLabels: [][]string{{"Conformance", s.label}},
			LeafNodeType: types.NodeTypeIt, LeafNodeText: s.text, State: s.state,
			StartTime: started, EndTime: started.Add(10 * time.Second), RunTime: 10 * time.Second, NumAttempts: 1,
		}
		if s.state.Is(types.SpecStateFailureStates) {
			g.SuiteSucceeded = false
			sr.Failure = types.Failure{Message: "Expected success, but got an error", Location: types.CodeLocation{FileName: "/src/x_test.go", LineNumber: 9}}
		}
		if s.timeline != "" {
			rel := "timelines/" + strings.ToLower(gu.Label) + "--web.json"
			copyFile(t, filepath.Join(reportTestdata, s.timeline), filepath.Join(dir, rel))
			sr.ReportEntries = append(sr.ReportEntries, types.ReportEntry{Name: report.EntryTimeline, Value: types.WrapEntryValue(rel), Time: started})
		}
		g.SpecReports = append(g.SpecReports, sr)
	}
	data, err := json.Marshal([]types.Report{g})
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, report.GinkgoReportFile), data)
	writeFile(t, filepath.Join(dir, "junit.xml"), []byte("<testsuites/>\n"))
	if withEnvironment {
		env := report.Environment{
			SuiteVersion: "v0.3.0", SuiteCommit: "3bfa9ee0c0ffee", CommandLine: []string{"/tmp/statefulset.test", "--artifacts=_artifacts"},
			ServerVersion: "v1.34.3", CNI: report.Setting{Name: "cni", Value: "kindnet"},
			ControllerSettings: []report.Setting{{Name: "node-monitor-grace-period", Value: "20s", Source: "kube-controller-manager pod args"}},
		}
		if err := env.WriteFile(filepath.Join(dir, report.EnvironmentFile)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, to, data)
}

func writeFile(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

type certificationJSON struct {
	SchemaVersion int    `json:"schemaVersion"`
	Verdict       string `json:"verdict"`
	ServerVersion string `json:"serverVersion"`
	Manifest      []struct {
		Path string `json:"path"`
	} `json:"manifest"`
}

func readCertification(t *testing.T, dir string) certificationJSON {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, report.CertificationFile))
	if err != nil {
		t.Fatal(err)
	}
	var c certificationJSON
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// run executes the command as a user would.
func runStsconform(args ...string) (string, error) {
	var out bytes.Buffer
	root := newRootCommandTo(&out, &out)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

func TestReportRendersACertifiedRun(t *testing.T) {
	dir := artifacts(t, true)
	out, err := runStsconform("report", "--strict", dir)
	if err != nil {
		t.Fatalf("a certified run must pass --strict: %v\n%s", err, out)
	}
	if !strings.Contains(out, "CERTIFIED") || !strings.Contains(out, "OrderedCreation  verified") || !strings.Contains(out, "wrote "+filepath.Join(dir, report.HTMLFile)) {
		t.Errorf("summary:\n%s", out)
	}
	c := readCertification(t, dir)
	if c.SchemaVersion != 2 || c.Verdict != "certified" || c.ServerVersion != "v1.34.3" {
		t.Errorf("certification.json: %+v", c)
	}
	// The point of re-rendering after Ginkgo: its reports are evidence too.
	var paths []string
	for _, m := range c.Manifest {
		paths = append(paths, m.Path)
	}
	for _, want := range []string{"environment.json", "junit.xml", "report.json", "timelines/orderedcreation--web.json", "timelines/rollingupdate--web.json"} {
		if !strings.Contains(" "+strings.Join(paths, " ")+" ", " "+want+" ") {
			t.Errorf("manifest lacks %s: %v", want, paths)
		}
	}
	for _, f := range []string{report.HTMLFile, report.MarkdownFile} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
		if strings.Contains(strings.Join(paths, " "), f) {
			t.Errorf("the manifest lists the report's own output %s", f)
		}
	}
	// Rendering twice gives the same files: the outputs are not evidence.
	first, _ := os.ReadFile(filepath.Join(dir, report.CertificationFile))
	if _, err := runStsconform("report", dir); err != nil {
		t.Fatal(err)
	}
	second, _ := os.ReadFile(filepath.Join(dir, report.CertificationFile))
	if !bytes.Equal(first, second) {
		t.Error("re-rendering changed certification.json")
	}
}

// A run that is not certified is rendered all the same; only --strict turns
// the verdict into an exit status. Here the ordered-creation spec passed,
// but the timeline it recorded is the Parallel one: the report's own
// checker finds the violation.
func TestReportOfARunThatIsNotCertified(t *testing.T) {
	dir := artifacts(t, true,
		artifactsSpec{"OrderedCreation", "creates pod N+1 only after pod N is Running and Ready", types.SpecStatePassed, "parallel-creation.json"},
		artifactsSpec{"PDB", "blocks the drain", types.SpecStateFailed, ""})
	out, err := runStsconform("report", dir)
	if err != nil {
		t.Fatalf("rendering must succeed whatever the verdict: %v", err)
	}
	if !strings.Contains(out, "FAILED") || !strings.Contains(out, "OrderedCreation  failed") || !strings.Contains(out, "PDB              failed") {
		t.Errorf("summary:\n%s", out)
	}
	if c := readCertification(t, dir); c.Verdict != "failed" {
		t.Errorf("verdict %q", c.Verdict)
	}
	_, err = runStsconform("report", "--strict", dir)
	if err == nil || !strings.Contains(err.Error(), "not certified: failed") {
		t.Errorf("--strict on a failed run: %v", err)
	}
}

func TestReportOut(t *testing.T) {
	dir := artifacts(t, true)
	out := filepath.Join(t.TempDir(), "review")
	if _, err := runStsconform("report", "--out", out, dir); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{report.HTMLFile, report.MarkdownFile, report.CertificationFile} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s not in --out: %v", f, err)
		}
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("%s written into the artifacts despite --out", f)
		}
	}
}

func TestReportOfIncompleteArtifacts(t *testing.T) {
	// Without environment.json (older runs): rendered, but never certified.
	dir := artifacts(t, false)
	out, err := runStsconform("report", dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "INCOMPLETE") || !strings.Contains(out, "environment.json is not in the artifacts") {
		t.Errorf("summary:\n%s", out)
	}
	if _, err := runStsconform("report", "--strict", dir); err == nil {
		t.Error("--strict accepted a run without its environment")
	}
	// Without Ginkgo's report there is nothing to judge.
	if err := os.Remove(filepath.Join(dir, report.GinkgoReportFile)); err != nil {
		t.Fatal(err)
	}
	if _, err := runStsconform("report", dir); err == nil || !strings.Contains(err.Error(), "report.json") {
		t.Errorf("missing report.json: %v", err)
	}
	if _, err := runStsconform("report"); err == nil {
		t.Error("no directory accepted")
	}
}

// What a careless auditor's artifacts directory can hold: none of it may
// certify, cost a file outside the directory, or leave an old verdict.
func TestReportOfSpoiledArtifacts(t *testing.T) {
	// A truncated junit.xml: Ginkgo did not finish its reports.
	dir := artifacts(t, true)
	writeFile(t, filepath.Join(dir, "junit.xml"), []byte("<testsuites><testsuite name=\"StatefulSet"))
	if _, err := runStsconform("report", "--strict", dir); err == nil || !strings.Contains(err.Error(), "not certified: incomplete") {
		t.Errorf("--strict with a truncated junit.xml: %v", err)
	}
	// A corrupt environment.json is rendered like a missing one.
	dir = artifacts(t, true)
	writeFile(t, filepath.Join(dir, report.EnvironmentFile), []byte("{"))
	out, err := runStsconform("report", dir)
	if err != nil || !strings.Contains(out, "environment.json is unreadable") {
		t.Errorf("corrupt environment.json: %v\n%s", err, out)
	}
	// report.md linking out of the directory.
	dir = artifacts(t, true)
	victim := filepath.Join(t.TempDir(), "notes.md")
	writeFile(t, victim, []byte("keep me"))
	if err := os.Symlink(victim, filepath.Join(dir, report.MarkdownFile)); err != nil {
		t.Fatal(err)
	}
	if _, err := runStsconform("report", dir); err == nil || !strings.Contains(err.Error(), "refusing to write") {
		t.Errorf("report over a symlink: %v", err)
	}
	if data, _ := os.ReadFile(victim); string(data) != "keep me" {
		t.Errorf("report wrote through the symlink: %q", data)
	}
	// A rebuild that fails leaves no certified verdict behind.
	dir = artifacts(t, true)
	if _, err := runStsconform("report", dir); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, report.GinkgoReportFile), []byte("[{\"SuitePath\": "))
	if _, err := runStsconform("report", dir); err == nil || !strings.Contains(err.Error(), "removed the earlier report.html, report.md, certification.json") {
		t.Errorf("failed rebuild: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, report.CertificationFile)); err == nil {
		t.Error("the earlier certification.json survived a failed rebuild")
	}
}
