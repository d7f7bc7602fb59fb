package images

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestDefaultsNameEveryRoleOnce(t *testing.T) {
	d := Defaults()
	if len(d) != len(Roles()) {
		t.Fatalf("fixtures/images.yaml has %d roles, the suites know %d: %v", len(d), len(Roles()), d)
	}
	for _, r := range Roles() {
		if d.Ref(r) == "" {
			t.Errorf("role %s has no default reference", r)
		}
		if !IsLocal(d.Ref(r)) {
			t.Errorf("default %s = %q is not a local name; the hermetic build could not make it", r, d.Ref(r))
		}
	}
	if len(d.LocalRefs()) != len(Roles()) {
		t.Errorf("two roles share a reference: %v", d)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	s, err := Load(write("ok.yaml", "busybox: registry.example.com/busybox:1.36\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Ref(Busybox) != "registry.example.com/busybox:1.36" || s.Ref(WebV1) != Defaults().Ref(WebV1) {
		t.Errorf("Load = %v: want busybox overridden, the rest default", s)
	}
	for name, body := range map[string]string{
		"typo.yaml":  "bussybox: x\n",
		"empty.yaml": "web-v1: \"\"\n",
		"list.yaml":  "- a\n",
	} {
		if _, err := Load(write(name, body)); err == nil {
			t.Errorf("Load(%s) accepted %q", name, body)
		}
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing file: %v", err)
	}
}

func TestRehome(t *testing.T) {
	s := Set{WebV1: "localhost/stsconform/web:1", Busybox: "busybox:1"}.Rehome("registry.example.com:5000/conf/")
	want := Set{WebV1: "registry.example.com:5000/conf/web:1", Busybox: "registry.example.com:5000/conf/busybox:1"}
	if !slices.Equal(s.Refs(), want.Refs()) {
		t.Errorf("Rehome = %v, want %v", s, want)
	}
	if len(s.LocalRefs()) != 0 {
		t.Errorf("re-homed images are still side-loaded: %v", s.LocalRefs())
	}
}

func TestWorkloadsLeaveOutTheRunner(t *testing.T) {
	w := Defaults().Workloads()
	if _, ok := w[Runner]; ok {
		t.Fatalf("Workloads holds the runner: the suite would side-load and pull-check an image no spec runs: %v", w)
	}
	if len(w) != len(Roles())-1 {
		t.Fatalf("Workloads = %v, want every role but the runner", w)
	}
}
