package report

import "testing"

func TestRelToArtifacts(t *testing.T) {
	for _, tc := range []struct{ dir, path, want string }{
		{"/tmp/a/_artifacts", "/tmp/a/_artifacts/timelines/x--web.json", "timelines/x--web.json"},
		{"_artifacts", "_artifacts/diagnostics/spec-a", "diagnostics/spec-a"},
		// Recorded on the CI runner, read from a download elsewhere.
		{"/home/me/dl", "/ci/work/_artifacts/timelines/x--web.json", "timelines/x--web.json"},
		{"/home/me/dl", "/ci/work/_artifacts/diagnostics/spec-a", "diagnostics/spec-a"},
		{"/home/me/dl", "/elsewhere/odd.json", "odd.json"},
		{"/home/me/dl", "", ""},
	} {
		if got := relToArtifacts(tc.dir, tc.path); got != tc.want {
			t.Errorf("relToArtifacts(%q, %q) = %q; want %q", tc.dir, tc.path, got, tc.want)
		}
	}
}
