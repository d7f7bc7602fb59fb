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
	if c.Passed != 9 || c.Failed != 2 || c.Skipped != 2 {
		t.Errorf("counts %d passed, %d failed, %d skipped; want 9, 2, 2", c.Passed, c.Failed, c.Skipped)
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
