package incluster

import (
	"slices"
	"strings"
	"testing"

	"github.com/stsconform/stsconform/incluster/layout"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestPlanFrom(t *testing.T) {
	cases := []struct {
		name    string
		env     map[string]string
		want    []string // arguments that must be there
		notWant []string // argument prefixes that must not
		dir     string
	}{
		{name: "nothing set", env: nil, dir: layout.ResultsDir,
			want:    []string{"--procs=2", "--junit-report=" + JUnitFile, "--output-dir=" + layout.ResultsDir, layout.Suite, "--in-cluster", "--artifacts=" + layout.ResultsDir},
			notWant: []string{"--focus", "--label-filter", "--skip", "--dry-run"}},
		{name: "hydrophone's defaults", env: map[string]string{"E2E_FOCUS": `\[Conformance\]`, "E2E_EXTRA_GINKGO_ARGS": "--procs=3 -v", "E2E_EXTRA_ARGS": "--image-registry=r.example/s --timeout-dns=3m"},
			want:    []string{"--label-filter=Conformance", "--procs=3", "-v", "--image-registry=r.example/s", "--timeout-dns=3m"},
			notWant: []string{"--focus", "--procs=2"}, dir: layout.ResultsDir},
		{name: "Sonobuoy's results directory", env: map[string]string{"RESULTS_DIR": "/tmp/sonobuoy/results", "E2E_FOCUS": "drain", "E2E_SKIP": "Slow", "E2E_DRYRUN": "true", "E2E_PARALLEL": "n"},
			want: []string{"--focus=drain", "--skip=Slow", "--dry-run", "--output-dir=/tmp/sonobuoy/results", "--artifacts=/tmp/sonobuoy/results"}, notWant: []string{"--procs"}, dir: "/tmp/sonobuoy/results"},
		{name: "serial", env: map[string]string{"E2E_PARALLEL": "n"}, want: []string{"--procs=1"}, dir: layout.ResultsDir},
		{name: "a label filter", env: map[string]string{LabelFilterEnv: "Conformance && !Disruptive"},
			want: []string{"--label-filter=Conformance && !Disruptive"}, notWant: []string{"--focus"}, dir: layout.ResultsDir},
		{name: "a label filter under upstream's focus", env: map[string]string{"E2E_FOCUS": UpstreamConformanceFocus, LabelFilterEnv: "!Disruptive"},
			want: []string{"--label-filter=Conformance && (!Disruptive)"}, dir: layout.ResultsDir},
		{name: "a number of processes", env: map[string]string{"E2E_PARALLEL": "4"}, want: []string{"--procs=4"}, dir: layout.ResultsDir},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := PlanFrom(env(c.env))
			if err != nil {
				t.Fatal(err)
			}
			args := p.Suite.Args()
			if p.ResultsDir != c.dir {
				t.Errorf("results dir %q, want %q", p.ResultsDir, c.dir)
			}
			for _, w := range c.want {
				if !slices.Contains(args, w) {
					t.Errorf("args %q lack %q", args, w)
				}
			}
			for _, nw := range c.notWant {
				for _, a := range args {
					if strings.HasPrefix(a, nw) {
						t.Errorf("args %q have %q", args, a)
					}
				}
			}
			// Ginkgo's flags before the suite, the suite's after "--".
			sep := slices.Index(args, "--")
			if sep < 0 || args[sep-1] != layout.Suite || !slices.Contains(args[sep:], "--in-cluster") {
				t.Errorf("args %q: want ginkgo flags, %s, --, suite flags", args, layout.Suite)
			}
		})
	}
}

func TestPlanFromRefusesABadParallel(t *testing.T) {
	for _, v := range []string{"0", "-1", "many"} {
		if _, err := PlanFrom(env(map[string]string{"E2E_PARALLEL": v})); err == nil || !strings.Contains(err.Error(), "E2E_PARALLEL") {
			t.Errorf("E2E_PARALLEL=%q: error %v, want one naming E2E_PARALLEL", v, err)
		}
	}
}

// A bad selection fails in the pod before Ginkgo starts, with one line.
func TestPlanFromRefusesABadFocus(t *testing.T) {
	for k, v := range map[string]string{"E2E_FOCUS": "([", "E2E_SKIP": "a)"} {
		if _, err := PlanFrom(env(map[string]string{k: v})); err == nil || !strings.Contains(err.Error(), "not a regular expression") {
			t.Errorf("%s=%q: error %v, want one saying it is not a regular expression", k, v, err)
		}
	}
}

func TestPlanFromNotesUpstreamImageLists(t *testing.T) {
	p, err := PlanFrom(env(map[string]string{"KUBE_TEST_REPO_LIST": "/tmp/repo-list"}))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, "ignored") }) {
		t.Errorf("notes %q do not say KUBE_TEST_REPO_LIST is ignored", p.Notes)
	}
}
