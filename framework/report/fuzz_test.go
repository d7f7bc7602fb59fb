package report

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// fuzzed are the artifacts FuzzRebuild replaces, one an input: a timeline,
// Ginkgo's JSON and JUnit reports, and the environment.
var fuzzed = []string{"timelines/ordered-creation--web.json", GinkgoReportFile, "junit.xml", EnvironmentFile}

// FuzzRebuild rebuilds the report of a passing run with one artifact
// replaced by arbitrary bytes: a downloaded artifacts directory can hold
// anything. The rebuild must not panic, and must cost memory in
// proportion to the files.
func FuzzRebuild(f *testing.F) {
	dir := passingRun().materialise(f)
	out := f.TempDir()
	originals := make([][]byte, len(fuzzed))
	for i, rel := range fuzzed {
		data, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			f.Fatal(err)
		}
		originals[i] = data
		f.Add(byte(i), data)
	}
	seeds, _ := filepath.Glob("testdata/*.json")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(byte(0), data)
	}
	f.Fuzz(func(t *testing.T, which byte, data []byte) {
		i := int(which) % len(fuzzed)
		path := filepath.Join(dir, fuzzed[i])
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		defer func() {
			if err := os.WriteFile(path, originals[i], 0o644); err != nil {
				t.Fatal(err)
			}
		}()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		r, err := Rebuild(dir, out)
		runtime.ReadMemStats(&after)
		if grown := after.TotalAlloc - before.TotalAlloc; grown > uint64(256*len(data))+128<<20 {
			t.Fatalf("rebuilding with %d bytes of %s allocated %d MB", len(data), fuzzed[i], grown>>20)
		}
		if err == nil && r == nil {
			t.Fatal("Rebuild returned neither a report nor an error")
		}
	})
}
