package suiterun

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func local() Input {
	return Input{
		Ginkgo: []string{"go", "tool", "ginkgo"}, Suite: "./suites/statefulset", Tags: SuiteTags, LDFlags: "-X a.b=c",
		OutputDir: "/a/_artifacts", Procs: LocalProcs, Timeout: DefaultTimeout, LabelFilter: "Conformance && !Disruptive",
		SuiteArgs: []string{"--artifacts=/a/_artifacts"},
	}
}

func TestArgs(t *testing.T) {
	got := local().Args()
	want := []string{"run", "--tags=e2e", "--ldflags=-X a.b=c", "--timeout=1h0m0s", "--procs=3",
		"--label-filter=Conformance && !Disruptive", "--json-report=report.json", "--junit-report=junit.xml",
		"--output-dir=/a/_artifacts", "./suites/statefulset", "--", "--artifacts=/a/_artifacts"}
	if !slices.Equal(got, want) {
		t.Errorf("args\n%q\nwant\n%q", got, want)
	}
}

func TestArgsLetGinkgoArgsReplaceProcsAndTimeout(t *testing.T) {
	in := local()
	in.GinkgoArgs = []string{"-p", "--timeout=2h", "-v"}
	got := in.Args()
	for _, a := range got {
		if strings.HasPrefix(a, "--procs=") || a == "--timeout=1h0m0s" {
			t.Errorf("args %q repeat %s that GinkgoArgs set", got, a)
		}
	}
	if i := slices.Index(got, "-v"); i < 0 || got[i+1] != in.Suite {
		t.Errorf("args %q: GinkgoArgs must come last before the suite", got)
	}
}

func TestArgsDryRunIsSerial(t *testing.T) {
	in := local()
	in.DryRun, in.Procs = true, 0
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	got := in.Args()
	if !slices.Contains(got, "--dry-run") || slices.ContainsFunc(got, func(a string) bool { return strings.HasPrefix(a, "--procs") }) {
		t.Errorf("dry run args %q: want --dry-run and no --procs (Ginkgo refuses a parallel dry run)", got)
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*Input)
		want string
	}{
		{"negative procs", func(in *Input) { in.Procs = -3 }, "--procs -3"},
		{"no procs", func(in *Input) { in.Procs = 0 }, "--procs 0"},
		{"negative timeout", func(in *Input) { in.Timeout = -time.Second }, "--timeout -1s"},
		{"bad focus", func(in *Input) { in.Focus = "([" }, `--focus "(["`},
		{"bad skip", func(in *Input) { in.Skip = "a)" }, `--skip "a)"`},
		{"bad label filter", func(in *Input) { in.LabelFilter = "A &&" }, `label filter "A &&"`},
		{"no suite", func(in *Input) { in.Suite = "" }, "the suite"},
		{"no ginkgo", func(in *Input) { in.Ginkgo = nil }, "Ginkgo command"},
		{"no output", func(in *Input) { in.OutputDir = "" }, "output directory"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := local()
			c.edit(&in)
			err := in.Validate()
			if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %v; want one line containing %q", err, c.want)
			}
		})
	}
	in := local()
	in.Procs, in.Timeout, in.GinkgoArgs = 0, 0, []string{"--procs=4", "--timeout=2h"}
	if err := in.Validate(); err != nil {
		t.Errorf("procs and timeout from GinkgoArgs: %v", err)
	}
	if err := local().Validate(); err != nil {
		t.Errorf("a good input: %v", err)
	}
}

func TestNewRunID(t *testing.T) {
	a, b := NewRunID(), NewRunID()
	if a == b {
		t.Errorf("two run IDs are both %q", a)
	}
	if _, err := time.Parse(runIDTime, a[:len(runIDTime)]); err != nil || len(a) != len(runIDTime)+5 || a[len(runIDTime)] != '-' {
		t.Errorf("run ID %q: want %s-XXXX", a, runIDTime)
	}
}
