package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteReportsEveryError: an output that cannot be written does not
// stop the others, and its error is returned.
func TestWriteReportsEveryError(t *testing.T) {
	r := passingRun()
	dir := r.materialise(t)
	rep, err := Build(Input{Ginkgo: r.ginkgo, Environment: r.env, ArtifactsDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	for _, blocked := range []string{MarkdownFile, CertificationFile} {
		if err := os.Mkdir(filepath.Join(out, blocked), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	err = rep.Write(out)
	if err == nil || !strings.Contains(err.Error(), MarkdownFile) || !strings.Contains(err.Error(), CertificationFile) {
		t.Fatalf("Write returned %v; want errors for %s and %s", err, MarkdownFile, CertificationFile)
	}
	if _, err := os.Stat(filepath.Join(out, HTMLFile)); err != nil {
		t.Errorf("%s was not written although only the others failed: %v", HTMLFile, err)
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := rep.Write(filepath.Join(file, "sub")); err == nil {
		t.Error("Write into a path under a file succeeded")
	}
}

// TestCertificationKeepsSchema1Fields: consumers of the first
// certification.json keep finding its fields, with the same meaning.
func TestCertificationKeepsSchema1Fields(t *testing.T) {
	dir := writeScenario(t, failingRun(t))
	data, err := os.ReadFile(filepath.Join(dir, CertificationFile))
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		SchemaVersion  int               `json:"schemaVersion"`
		Suite          string            `json:"suite"`
		Started        string            `json:"started"`
		Duration       string            `json:"duration"`
		ServerVersion  string            `json:"serverVersion"`
		ClusterCreated string            `json:"clusterCreated"`
		Settings       map[string]string `json:"settings"`
		Guarantees     map[string][]struct {
			Spec, State, Duration, Failure, SkipReason string
			Seconds                                    float64
			Timelines                                  []string
			Observations                               map[string]string
		} `json:"guarantees"`
		Passed, Failed, Skipped int
		Verdict                 string
		Verdicts                []struct{ Label, Verdict string }
		Manifest                []manifestEntry
		Environment             Environment
	}
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	if c.SchemaVersion != 2 || c.Suite != "StatefulSet conformance" || c.Started != "2026-11-22T00:18:30Z" || c.Duration != "7m12s" ||
		c.ServerVersion != "v1.37.2" || c.ClusterCreated != "1m34s" || c.Settings["node-monitor-grace-period"] != "20s" ||
		c.Settings["run-id"] != "20261122-001830-ab12" {
		t.Errorf("schema 1 header fields: %+v", c)
	}
	if c.Passed != 18 || c.Failed != 2 || c.Skipped != 2 {
		t.Errorf("counts %d passed, %d failed, %d skipped; want 18, 2, 2", c.Passed, c.Failed, c.Skipped)
	}
	nf := c.Guarantees["NodeFailure"]
	if len(nf) != 1 || nf[0].State != "timedout" || !strings.Contains(nf[0].Failure, "A node timeout occurred") || nf[0].Seconds != 118 {
		t.Errorf("NodeFailure spec: %+v", nf)
	}
	pdb := c.Guarantees["PDB"]
	if len(pdb) != 1 || !strings.HasPrefix(pdb[0].SkipReason, "skipped: needs 4 schedulable") {
		t.Errorf("PDB spec: %+v", pdb)
	}
	oc := c.Guarantees["OrderedCreation"]
	if len(oc) != 2 || len(oc[0].Timelines) != 1 || oc[0].Timelines[0] != "timelines/ordered-creation--web.json" {
		t.Errorf("timelines must be relative to the artifacts: %+v", oc)
	}
	if c.Verdict != string(Failed) || len(c.Verdicts) != len(catalogue) || len(c.Manifest) == 0 || c.Environment.ServerVersion != "v1.37.2" {
		t.Errorf("schema 2 fields: verdict %q, %d verdicts, %d manifest entries", c.Verdict, len(c.Verdicts), len(c.Manifest))
	}
}

// A downloaded artifacts directory whose report.md links to a file
// elsewhere must not make the report overwrite that file; the link, which
// a reader would take for the verdict, goes.
func TestWriteNeverFollowsASymlink(t *testing.T) {
	r := passingRun()
	dir := r.materialise(t)
	rep, err := Build(Input{Ginkgo: r.ginkgo, Environment: r.env, ArtifactsDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	victim := filepath.Join(t.TempDir(), "notes.md")
	if err := os.WriteFile(victim, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, MarkdownFile)
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	err = rep.Write(dir)
	if err == nil || !strings.Contains(err.Error(), "writing report.md: refusing to write") || !strings.Contains(err.Error(), "removed it, so that no earlier verdict stands") {
		t.Fatalf("Write over a symlink: %v", err)
	}
	if got, _ := os.ReadFile(victim); string(got) != "keep me" {
		t.Errorf("the file report.md linked to was overwritten: %q", got)
	}
	if _, err := os.Lstat(link); err == nil {
		t.Error("the link is still there to be read as the verdict")
	}
	for _, f := range []string{HTMLFile, CertificationFile} {
		if fi, err := os.Lstat(filepath.Join(dir, f)); err != nil || !fi.Mode().IsRegular() {
			t.Errorf("%s not written: %v", f, err)
		}
	}
}

// A rebuild that cannot load the run leaves no earlier verdict behind.
func TestRebuildLeavesNoStaleVerdict(t *testing.T) {
	dir := passingRun().materialise(t)
	if _, err := Rebuild(dir, dir); err != nil {
		t.Fatal(err)
	}
	ginkgo := filepath.Join(dir, GinkgoReportFile)
	data, err := os.ReadFile(ginkgo)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ginkgo, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Rebuild(dir, dir)
	if err == nil || !strings.Contains(err.Error(), "decoding report.json") ||
		!strings.Contains(err.Error(), "removed the earlier report.html, report.md, certification.json") {
		t.Fatalf("Rebuild of a truncated report.json: %v", err)
	}
	for _, f := range outputs {
		if _, err := os.Lstat(filepath.Join(dir, f)); err == nil {
			t.Errorf("%s of the earlier rebuild survived", f)
		}
	}
	// Nothing to remove: the error is the load's alone.
	if _, err := Rebuild(dir, dir); err == nil || strings.Contains(err.Error(), "removed") {
		t.Errorf("second failed Rebuild: %v", err)
	}
}
