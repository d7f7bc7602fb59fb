package report

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

func TestManifest(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"report.json":                  `[{"SuiteDescription":"x"}]`,
		"timelines/a--web.json":        `{"statefulSet":"web"}`,
		"diagnostics/spec/events.txt":  "event\n",
		"diagnostics/spec/report.html": "not the report: only the top-level outputs are left out\n",
		HTMLFile:                       "old report",
		MarkdownFile:                   "old report",
		CertificationFile:              "{}",
	}
	for rel, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("/etc/hostname", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	m, err := manifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"diagnostics/spec/events.txt", "diagnostics/spec/report.html", "report.json", "timelines/a--web.json"}
	if len(m) != len(want) {
		t.Fatalf("manifest %+v; want exactly %v", m, want)
	}
	for i, e := range m {
		sum := sha256.Sum256([]byte(files[want[i]]))
		if e.Path != want[i] || e.Size != int64(len(files[want[i]])) || e.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("entry %d = %+v; want %s with its size and SHA-256", i, e, want[i])
		}
	}
	if _, err := manifest(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing artifacts directory gave a manifest")
	}
}
