package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

// lockedBuffer is one buffer for stdout and stderr, which processes write
// from their own goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// execute runs the tool's command line as main does and returns its
// output and error.
func execute(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCommand()
	var out lockedBuffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := root.ExecuteContext(ctx)
	return out.String(), err
}

// unreachableKubeconfig names a cluster nobody serves: a command that got
// as far as connecting would fail with a different message.
func unreachableKubeconfig(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "kubeconfig")
	data := `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
`
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Bad flags of run and selftest fail in one line before any cluster is
// made or connected to (issue 20).
func TestRunAndSelftestRefuseBadFlagsFirst(t *testing.T) {
	kc := unreachableKubeconfig(t)
	missing := filepath.Join(t.TempDir(), "no-images.yaml")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--procs", "-3"}, "--procs -3"},
		{[]string{"run", "--timeout", "-1s"}, "--timeout -1s"},
		{[]string{"run", "--focus", "(["}, `--focus "(["`},
		{[]string{"run", "--skip", "a)"}, `--skip "a)"`},
		{[]string{"run", "--label-filter", "A &&"}, `label filter "A &&"`},
		{[]string{"run", "--images", missing}, "no-images.yaml"},
		{[]string{"run", "--kubeconfig", kc, "--suite", filepath.Join(t.TempDir(), "nosuite")}, "--suite"},
		{[]string{"run", "--kubeconfig", "", "--kind-config", filepath.Join(t.TempDir(), "kind.yaml")}, "kind.yaml"},
		{[]string{"run", "stray"}, `unexpected argument "stray"`},
		{[]string{"run", "--in-cluster", "--kubeconfig", kc, "--procs", "-3"}, "--procs -3"},
		{[]string{"run", "--in-cluster", "--kubeconfig", kc, "--timeout", "-1s"}, "--timeout -1s"},
		{[]string{"run", "--in-cluster", "--kubeconfig", kc, "--focus", "(["}, `--focus "(["`},
		{[]string{"run", "--in-cluster", "--kubeconfig", kc, "--images", missing}, "no-images.yaml"},
		{[]string{"run", "--in-cluster", "--kubeconfig", kc, "--timeout-start", "0s"}, "--timeout-start 0s"},
		{[]string{"run", "--in-cluster", "--kubeconfig", kc, "--", "--focus=two words"}, "holds a space"},
		{[]string{"run", "--in-cluster", "--kubeconfig", ""}, "--kubeconfig (or KUBECONFIG)"},
		{[]string{"run", "--in-cluster", "--kubeconfig", kc, "--runner-toleration", "k:NoRun"}, `--runner-toleration "k:NoRun"`},
		{[]string{"run", "--in-cluster", "--kubeconfig", kc, "--runner-node-selector", "pool"}, `--runner-node-selector "pool"`},
		{[]string{"run", "--progress", "loud"}, `--progress "loud"`},
		{[]string{"sonobuoy-plugin", "--image-registry", "r.example/s", "--focus", "(["}, `--focus "(["`},
		{[]string{"sonobuoy-plugin", "--image-registry", "r.example/s", "--runner-toleration", "=x"}, `--runner-toleration "=x"`},
		{[]string{"selftest", "--procs", "-3"}, "--procs -3"},
		{[]string{"selftest", "--timeout-suite", "-1s"}, "--timeout-suite -1s"},
		{[]string{"selftest", "--timeout-cluster-create", "0s"}, "--timeout-cluster-create 0s"},
		{[]string{"selftest", "--suite", filepath.Join(t.TempDir(), "nosuite")}, "--suite"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			start := time.Now()
			_, err := execute(t, c.args...)
			if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %v; want one line containing %q", err, c.want)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %s to refuse a flag: it must not touch a cluster first", d)
			}
		})
	}
}

// fakeSuite is a suite with a spec of every outcome and no cluster
// (framework/suiterun/testdata/fakesuite), from this package's directory.
const fakeSuite = "../../framework/suiterun/testdata/fakesuite"

// run from this host: the Ginkgo command line of framework/suiterun, the
// report rendered after Ginkgo's, progress lines, and Ginkgo's exit status
// as the command's; then rerun of what failed, merged in place.
func TestRunThenRerunFromThisHost(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the fake suite with go tool ginkgo")
	}
	dir := filepath.Join(t.TempDir(), "artifacts")
	t.Setenv("STSCONFORM_FAKE_STATE", t.TempDir())
	t.Setenv("STSCONFORM_FAKE_PAUSE", "1200ms")
	out, err := execute(t, "run", "--kubeconfig", unreachableKubeconfig(t), "--suite", fakeSuite, "--artifacts", dir, "--procs", "2", "--progress", "always")
	var exit interface{ ExitCode() int }
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("error %v; want the suite's exit status 1 (two specs fail)\n%s", err, out)
	}
	for _, f := range []string{"report.json", "junit.xml", "report.html", "certification.json", "environment.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the run left no %s: %v", f, err)
		}
	}
	// The report rendered after Ginkgo's own lists them in its manifest.
	cert, err := os.ReadFile(filepath.Join(dir, "certification.json"))
	if err != nil || !strings.Contains(string(cert), `"path": "junit.xml"`) {
		t.Errorf("certification.json does not list junit.xml in its manifest: %v", err)
	}
	if !strings.Contains(out, "3 passed, 2 failed, 1 skipped") {
		t.Errorf("the verdicts were not printed:\n%s", out)
	}
	// Progress across both processes, on lines of their own: the specs
	// of both processes are counted, and the running ones named.
	lines := regexp.MustCompile(`(?m)^progress: ([0-9])/6 specs done \(.*; running "fake .*; elapsed .*$`).FindAllStringSubmatch(out, -1)
	if len(lines) == 0 || lines[len(lines)-1][1] < "3" {
		t.Errorf("want progress lines up to at least 3 of 6 specs done (the two processes' first specs and the skip):\n%s", out)
	}

	// rerun: the two failed specs and the one that skipped itself run
	// again with the recorded settings; one passes this time.
	out, err = execute(t, "rerun", dir, "--progress", "never")
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(err.Error(), "re-run attempt 2") {
		t.Fatalf("rerun: error %v; want exit status 1 (one spec fails again)\n%s", err, out)
	}
	if !strings.Contains(out, "re-running 3 spec(s)") || !strings.Contains(out, "fake storage fails only the first time (failed)") {
		t.Errorf("rerun did not say what it re-runs:\n%s", out)
	}
	md, _ := os.ReadFile(filepath.Join(dir, "report.md"))
	for _, want := range []string{"## Re-runs", "1 spec(s) passed only when re-run (flaky): \"fake storage fails only the first time\" failed in attempt 1 (fake failure: first attempt)", "4 passed, 1 failed, 1 skipped"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("the merged report.md lacks %q:\n%s", want, md)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "attempts", "2", "report.json")); err != nil {
		t.Errorf("the re-run's own results are not kept: %v", err)
	}
	diag, _ := os.ReadFile(filepath.Join(dir, "diagnostics", "fails-only-the-first-time", "attempt"))
	if string(diag) != "again\n" {
		t.Errorf("the re-run spec's diagnostics at the top are %q; want the re-run's", diag)
	}

	// report --compare: the merged certification proves more than the
	// first run (kept as attempts/1), and the other way round is a
	// regression, with the spec that changed named.
	first := filepath.Join(dir, "attempts", "1")
	if out, err := execute(t, "report", "--compare", first, dir); err != nil || !strings.Contains(out, "  spec      fake storage fails only the first time: failed -> passed") {
		t.Errorf("compare first -> merged: %v\n%s", err, out)
	}
	if out, err := execute(t, "report", "--compare", dir, first); err == nil || !strings.Contains(out, "! spec      fake storage fails only the first time: passed -> failed") {
		t.Errorf("compare merged -> first: %v; want an error and the regression named\n%s", err, out)
	}
}

// rerun runs with what run recorded, except what its own command line
// says.
func TestRunRecordRoundTrip(t *testing.T) {
	dir := t.TempDir()
	first := &cobra.Command{Use: "run"}
	var f runFlags
	f.register(first)
	if err := first.ParseFlags([]string{"--in-cluster", "--kubeconfig", "kc", "--procs", "4", "--label-filter", "A && !B", "--timeout", "2h",
		"--runner-toleration", "a:NoSchedule", "--runner-toleration", "b=c"}); err != nil {
		t.Fatal(err)
	}
	f.GinkgoArgs, f.SuiteArgs = []string{"-v"}, []string{"--timeout-dns=3m"}
	f.absolutize()
	if err := writeRecord(first, &f, dir); err != nil {
		t.Fatal(err)
	}
	again := &cobra.Command{Use: "rerun"}
	var g runFlags
	g.register(again)
	if err := again.ParseFlags([]string{"--procs", "1"}); err != nil {
		t.Fatal(err)
	}
	g.SuiteArgs = []string{"--timeout-dns=5m"}
	if ok, err := readRecord(again, &g, dir); err != nil || !ok {
		t.Fatalf("readRecord: %t, %v", ok, err)
	}
	abs, _ := filepath.Abs("kc")
	if !g.InCluster || g.Kubeconfig != abs || g.LabelFilter != "A && !B" || g.Timeout != 2*time.Hour || g.Procs != 1 {
		t.Errorf("restored %+v; want the recorded settings, the kubeconfig absolute, and --procs 1 as given", g)
	}
	if strings.Join(g.Placement.tolerations, " ") != "a:NoSchedule b=c" {
		t.Errorf("tolerations %q; want both recorded ones", g.Placement.tolerations)
	}
	if strings.Join(g.GinkgoArgs, " ") != "-v" || strings.Join(g.SuiteArgs, " ") != "--timeout-dns=3m --timeout-dns=5m" {
		t.Errorf("arguments %q %q; want the recorded ones, then the given ones", g.GinkgoArgs, g.SuiteArgs)
	}
}

// report --matrix writes its two files whatever the runs say, and --strict
// makes a run that is not certified an error.
func TestReportMatrix(t *testing.T) {
	out := t.TempDir()
	a, b := filepath.Join(t.TempDir(), "e2e-v1.34"), filepath.Join(t.TempDir(), "e2e-v1.33")
	if err := os.MkdirAll(a, 0o755); err != nil {
		t.Fatal(err)
	}
	printed, err := execute(t, "report", "--matrix", "--out", out, a, b)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"matrix.html", "matrix.md"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("no %s: %v", f, err)
		}
	}
	if !strings.Contains(printed, "e2e-v1.34") || !strings.Contains(printed, "no report") {
		t.Errorf("printed %q", printed)
	}
	if _, err := execute(t, "report", "--matrix", "--strict", "--out", out, a); err == nil {
		t.Error("--strict passed a matrix whose run has no report")
	}
	if _, err := execute(t, "report", a, b); err == nil {
		t.Error("report without --matrix took two directories")
	}
}
