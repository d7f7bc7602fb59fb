package report

import (
	"path/filepath"
	"regexp"
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

var notSlug = regexp.MustCompile(`[^a-zA-Z0-9]+`)

// Slug names a spec's artifacts (its diagnostics directory, its timelines)
// after its full text: lower case, runs of other characters as one dash,
// at most 120 characters.
func Slug(text string) string {
	s := strings.Trim(notSlug.ReplaceAllString(strings.ToLower(text), "-"), "-")
	if len(s) > 120 {
		s = s[:120]
	}
	return s
}

// ArtifactPath is how a report entry names a file under the artifacts
// directory: relative to it (timelines/..., diagnostics/...), so that the
// report links to it wherever the directory is moved; a path outside it is
// kept as given.
func ArtifactPath(artifactsDir, p string) string {
	rel, err := filepath.Rel(artifactsDir, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return p
	}
	return filepath.ToSlash(rel)
}
