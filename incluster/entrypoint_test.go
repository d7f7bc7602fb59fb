package incluster

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// fakeGinkgo writes a script standing in for the Ginkgo CLI: it writes a
// JUnit report into the results directory, prints Ginkgo's closing lines
// and exits with code.
func fakeGinkgo(t *testing.T, dir string, code int) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ginkgo")
	script := "#!/bin/sh\n" +
		"echo 'Will run 2 of 2 specs'\n" +
		"echo '<testsuites/>' > " + filepath.Join(dir, JUnitFile) + "\n" +
		"echo 'Ginkgo ran 1 suite in 1s'\n" +
		"exit " + string(rune('0'+code)) + "\n"
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// The Sonobuoy contract: whatever the outcome, RESULTS_DIR/done holds the
// absolute path of an archive that contains the JUnit report; hydrophone's:
// e2e.log holds Ginkgo's output and the run's exit code is the suite's.
func TestRunHonoursTheRunnersContract(t *testing.T) {
	for _, code := range []int{0, 1} {
		dir := filepath.Join(t.TempDir(), "sonobuoy", "results")
		plan, err := PlanFrom(env(map[string]string{"RESULTS_DIR": dir}))
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		got, err := Run(context.Background(), RunInput{Plan: plan, Ginkgo: fakeGinkgo(t, dir, code), Out: &out})
		if err != nil {
			t.Fatal(err)
		}
		if got != code {
			t.Errorf("exit code %d, want the suite's %d", got, code)
		}
		log, _ := os.ReadFile(filepath.Join(dir, LogFile))
		if !strings.HasPrefix(string(log), "Will run 2 of 2 specs") || !strings.Contains(string(log), "Ginkgo ran 1 suite") {
			t.Errorf("e2e.log must be Ginkgo's output from its first line:\n%s", log)
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		if i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "Ginkgo ran 1 suite") }); i < 0 || len(lines)-i > 30 {
			t.Errorf("hydrophone needs 'Ginkgo ran 1 suite' among the log's last 30 lines:\n%s", out.String())
		}
		done, err := os.ReadFile(filepath.Join(dir, DoneFile))
		if err != nil {
			t.Fatalf("no done file (exit %d): %v", code, err)
		}
		if !filepath.IsAbs(string(done)) || string(done) != filepath.Join(dir, ArchiveFile) {
			t.Fatalf("done holds %q, want the absolute path of %s", done, ArchiveFile)
		}
		names := archived(t, string(done))
		for _, want := range []string{JUnitFile, LogFile} {
			if !slices.Contains(names, want) {
				t.Errorf("archive holds %v, not %s", names, want)
			}
		}
		if slices.Contains(names, ArchiveFile) || slices.Contains(names, DoneFile) {
			t.Errorf("archive holds itself or the done file: %v", names)
		}
	}
}

func TestRunReportsAMissingGinkgo(t *testing.T) {
	dir := t.TempDir()
	plan, err := PlanFrom(env(map[string]string{"RESULTS_DIR": dir}))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	code, err := Run(context.Background(), RunInput{Plan: plan, Ginkgo: filepath.Join(dir, "no-ginkgo"), Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	if code == 0 || !strings.Contains(out.String(), "could not run") {
		t.Errorf("exit %d, output %q: a missing Ginkgo must fail the run and say so", code, out.String())
	}
	if _, err := os.Stat(filepath.Join(dir, DoneFile)); err != nil {
		t.Errorf("no done file after a failed start: %v", err)
	}
}

func archived(t *testing.T, p string) []string {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return names
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
	}
}

func TestHold(t *testing.T) {
	poll := 5 * time.Millisecond
	t.Run("returns when collected", func(t *testing.T) {
		dir := t.TempDir()
		_ = os.WriteFile(filepath.Join(dir, Collected), nil, 0o644)
		if err := Hold(context.Background(), HoldInput{ResultsDir: dir, Grace: time.Hour, Poll: poll}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("returns after the grace period once done", func(t *testing.T) {
		dir := t.TempDir()
		_ = os.WriteFile(filepath.Join(dir, DoneFile), nil, 0o644)
		if err := Hold(context.Background(), HoldInput{ResultsDir: dir, Grace: 20 * time.Millisecond, Poll: poll}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("holds while the run goes on", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		if err := Hold(ctx, HoldInput{ResultsDir: t.TempDir(), Grace: time.Nanosecond, Poll: poll}); err == nil {
			t.Fatal("Hold returned before the run was done")
		}
	})
}
