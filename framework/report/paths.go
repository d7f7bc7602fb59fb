package report

import (
	"path/filepath"
	"slices"
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
	// A relative path that starts at an artifact subdirectory is already
	// relative to the artifacts directory, as the suite writes them;
	// resolving it against the working directory could misplace it.
	if !filepath.IsAbs(p) {
		clean := filepath.ToSlash(filepath.Clean(p))
		if first, _, _ := strings.Cut(clean, "/"); slices.Contains(artifactDirs, first) {
			return clean
		}
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
