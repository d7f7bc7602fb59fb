package imagebuild

import (
	"context"
	"strings"
	"testing"
)

// A clean-up that fails must say what was left behind, and must still run
// when the build's context was cancelled (an interrupted build).
func TestCleanupNamesLeftoverEvenWhenCancelled(t *testing.T) {
	var out strings.Builder
	r := &runner{logDir: t.TempDir(), stdout: &out}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r.cleanup(ctx, "remove build container", "false", "stsconform-build-1")
	got := out.String()
	if !strings.Contains(got, "remove build container failed") || !strings.Contains(got, "false stsconform-build-1") {
		t.Fatalf("cleanup warning = %q, want the step and the command to run by hand", got)
	}

	out.Reset()
	r.cleanup(ctx, "remove node base", "true")
	if out.Len() != 0 {
		t.Fatalf("a clean-up that succeeds under a cancelled context printed %q", out.String())
	}
}
