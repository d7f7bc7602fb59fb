package config

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The table names real specs: a renamed spec or a moved file fails here,
// not silently in the budget arithmetic.
func TestSpecUsesNameRealSpecs(t *testing.T) {
	used := map[string]bool{}
	for _, u := range specUses {
		used[u.budget] = true
		src, err := os.ReadFile(filepath.Join("..", "..", "suites", "statefulset", u.file))
		if err != nil {
			t.Errorf("%s: %v", u.file, err)
			continue
		}
		if !strings.Contains(string(src), `"`+u.spec+`"`) {
			t.Errorf("%s has no spec %q", u.file, u.spec)
		}
	}
	for _, b := range budgets {
		if !used[b.flag] {
			t.Errorf("budget --%s covers no spec", b.flag)
		}
	}
}

func TestDefaultBudgetsExceedTheirSpecsWaits(t *testing.T) {
	d := DefaultTimeouts()
	if err := d.checkBudgets(); err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Duration{"SpecShort": 11 * time.Minute, "SpecLong": 20 * time.Minute, "SpecDNS": 25 * time.Minute, "SpecDisruptive": 23 * time.Minute}
	got := map[string]time.Duration{"SpecShort": d.SpecShort, "SpecLong": d.SpecLong, "SpecDNS": d.SpecDNS, "SpecDisruptive": d.SpecDisruptive}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s = %s, want %s", name, got[name], w)
		}
	}
	for _, u := range specUses {
		t.Logf("--%s: %s in %s %q", u.budget, sum(u.waits(d)), u.file, u.spec)
	}
}

// Raising a wait without its budget must fail before any spec runs, naming
// the budget and the spec; so must a budget set below its specs' waits.
func TestValidateRefusesABudgetBelowItsWaits(t *testing.T) {
	cases := map[string]struct {
		args []string
		want string
	}{
		"a wait raised": {[]string{"--timeout-set-ready=10m"},
			`--timeout-spec-short 11m0s does not exceed the 15m40s of waits in ordered_creation_test.go "creates pod N+1 only after pod N is Running and Ready"`},
		"a budget lowered": {[]string{"--timeout-spec-disruptive=8m"},
			`--timeout-spec-disruptive 8m0s does not exceed the 22m20s of waits in disruption_budget_test.go`},
		"both raised":      {[]string{"--timeout-set-ready=10m", "--timeout-spec-short=20m", "--timeout-spec-long=40m", "--timeout-spec-dns=60m", "--timeout-spec-disruptive=40m"}, ""},
		"no exec deadline": {[]string{"--timeout-exec=0"}, "--timeout-exec must be positive"},
	}
	dir := t.TempDir()
	kindCfg := filepath.Join(dir, "kind.yaml")
	if err := os.WriteFile(kindCfg, []byte("kind: Cluster\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, c := range cases {
		var cfg Config
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		cfg.Register(fs)
		if err := fs.Parse(append([]string{"--kind-config=" + kindCfg, "--artifacts=" + dir}, c.args...)); err != nil {
			t.Fatal(err)
		}
		err := cfg.Validate()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: Validate = %v\nwant %q", name, err, c.want)
		}
	}
}

func TestNewTimeoutFlags(t *testing.T) {
	var c Config
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	c.Register(fs)
	if c.Timeouts.ControllerObserve != 30*time.Second || c.Timeouts.Exec != 30*time.Second {
		t.Errorf("defaults: controller-observe %s, exec %s", c.Timeouts.ControllerObserve, c.Timeouts.Exec)
	}
	if err := fs.Parse([]string{"--timeout-controller-observe=10s", "--timeout-exec=5s", "--timeout-spec-short=12m"}); err != nil {
		t.Fatal(err)
	}
	if c.Timeouts.ControllerObserve != 10*time.Second || c.Timeouts.Exec != 5*time.Second || c.Timeouts.SpecShort != 12*time.Minute {
		t.Errorf("flags not applied: %+v", c.Timeouts)
	}
}
