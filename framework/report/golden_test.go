package report

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// scenarios are the golden runs; each is rendered from a materialised
// artifacts directory, so the manifest and every relative link are real.
func scenarios(t *testing.T) map[string]run {
	return map[string]run{
		"passing":   passingRun(),
		"failing":   failingRun(t),
		"violation": violationRun(t),
	}
}

// writeScenario builds a scenario's report in process, as ReportAfterSuite
// would, writes it into its artifacts directory and returns that directory.
func writeScenario(t *testing.T, r run) string {
	t.Helper()
	dir := r.materialise(t)
	rep, err := Build(Input{Ginkgo: r.ginkgo, Environment: r.env, ArtifactsDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Write(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestGolden(t *testing.T) {
	for name, r := range scenarios(t) {
		t.Run(name, func(t *testing.T) {
			dir := writeScenario(t, r)
			for _, f := range outputs {
				got, err := os.ReadFile(filepath.Join(dir, f))
				if err != nil {
					t.Fatal(err)
				}
				golden := filepath.Join("testdata", "golden", name, f)
				if *update {
					if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from %s (run with -update after checking the change):\n%s", f, golden, firstDiff(string(want), string(got)))
				}
			}
		})
	}
}

// TestLoadMatchesBuild: a report rebuilt from the downloaded artifacts
// (report.json decoded from JSON) says exactly what the in-process one said.
func TestLoadMatchesBuild(t *testing.T) {
	for name, r := range scenarios(t) {
		t.Run(name, func(t *testing.T) {
			dir := writeScenario(t, r)
			loaded, err := Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			again := t.TempDir()
			if err := loaded.Write(again); err != nil {
				t.Fatal(err)
			}
			for _, f := range outputs {
				want, _ := os.ReadFile(filepath.Join(dir, f))
				got, err := os.ReadFile(filepath.Join(again, f))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s from Load differs from Build's:\n%s", f, firstDiff(string(want), string(got)))
				}
			}
		})
	}
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:", i+1) + "\n want: " + clip(wl, 400) + "\n  got: " + clip(gl, 400)
		}
	}
	return "(no line differs)"
}
