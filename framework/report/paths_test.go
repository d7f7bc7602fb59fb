package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRelToArtifacts(t *testing.T) {
	for _, tc := range []struct{ dir, path, want string }{
		{"/tmp/a/_artifacts", "/tmp/a/_artifacts/timelines/x--web.json", "timelines/x--web.json"},
		{"_artifacts", "_artifacts/diagnostics/spec-a", "diagnostics/spec-a"},
		// Recorded on the CI runner, read from a download elsewhere.
		{"/home/me/dl", "/ci/work/_artifacts/timelines/x--web.json", "timelines/x--web.json"},
		{"/home/me/dl", "/ci/work/_artifacts/diagnostics/spec-a", "diagnostics/spec-a"},
		{"/home/me/dl", "/elsewhere/odd.json", "odd.json"},
		{"/home/me/dl", "", ""},
		// As the suite writes them: relative to the artifacts directory,
		// whatever the reader's working directory.
		{"/home/me/dl", "timelines/x--web.json", "timelines/x--web.json"},
		{".", "diagnostics/spec-a", "diagnostics/spec-a"},
		{"_artifacts/timelines", "timelines/x--web.json", "timelines/x--web.json"},
	} {
		if got := relToArtifacts(tc.dir, tc.path); got != tc.want {
			t.Errorf("relToArtifacts(%q, %q) = %q; want %q", tc.dir, tc.path, got, tc.want)
		}
	}
}

// Read from inside the artifacts directory, a relative entry must not be
// resolved against the working directory.
func TestRelToArtifactsIgnoresTheWorkingDirectory(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "timelines")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(sub)
	if got := relToArtifacts(dir, "timelines/x--web.json"); got != "timelines/x--web.json" {
		t.Errorf("got %q", got)
	}
}

func TestSlug(t *testing.T) {
	got := Slug("StatefulSet ordered creation creates pod N+1 only after pod N is Running and Ready")
	if got != "statefulset-ordered-creation-creates-pod-n-1-only-after-pod-n-is-running-and-ready" {
		t.Errorf("Slug = %q", got)
	}
	if long := Slug(strings.Repeat("a b ", 100)); len(long) != 120 {
		t.Errorf("a long text gives %d characters", len(long))
	}
}

func TestArtifactPath(t *testing.T) {
	for p, want := range map[string]string{
		"/run/_artifacts/timelines/x--web.json": "timelines/x--web.json",
		"/run/_artifacts/diagnostics/x":         "diagnostics/x",
		"/elsewhere/x.json":                     "/elsewhere/x.json",
	} {
		if got := ArtifactPath("/run/_artifacts", p); got != want {
			t.Errorf("ArtifactPath(%s) = %q, want %q", p, got, want)
		}
	}
}
