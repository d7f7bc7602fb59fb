package report

import (
	"path/filepath"
	"strings"
)

// artifactDirs are the artifact subdirectories whose paths the suite puts in
// report entries. They anchor a path recorded on another machine (the CI
// runner) to a downloaded copy of the artifacts.
var artifactDirs = []string{"timelines", "diagnostics"}

// relToArtifacts turns a path from a report entry into a slash-separated
// path relative to the artifacts directory, so that outputs link to files
// next to them wherever the directory is moved.
func relToArtifacts(artifactsDir, p string) string {
	if p == "" {
		return ""
	}
	if dir, err := filepath.Abs(artifactsDir); err == nil {
		if abs, err := filepath.Abs(p); err == nil {
			if rel, err := filepath.Rel(dir, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				return filepath.ToSlash(rel)
			}
		}
	}
	parts := strings.Split(filepath.ToSlash(p), "/")
	for i := len(parts) - 1; i >= 0; i-- {
		for _, d := range artifactDirs {
			if parts[i] == d && i < len(parts)-1 {
				return strings.Join(parts[i:], "/")
			}
		}
	}
	return filepath.Base(p)
}
