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
	// A reference no node could pull fails here, not as ErrImagePull.
	for body, want := range map[string]string{
		"web-v1: Registry.example.com/Web:1\n":        `role "web-v1": "Registry.example.com/Web:1" is not an image reference: could not parse reference`,
		"busybox: https://registry.example.com/b:1\n": `role "busybox": "https://registry.example.com/b:1" is not an image reference: a URL scheme`,
		"busybox: \"busybox: 1\"\n":                   `"busybox: 1" is not an image reference: white space`,
		"zookeeper: zk:3.8@sha256:abc\n":              `role "zookeeper": "zk:3.8@sha256:abc" is not an image reference`,
	} {
		_, err := Load(write("bad.yaml", body))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Load(%q) = %v; want %q", body, err, want)
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

func TestCheckRegistry(t *testing.T) {
	for _, ok := range []string{"registry.example.com/stsconform", "registry.example.com:5000/conf/", "localhost:5000", "127.0.0.1:5000/a/b", "stsconform", "[::1]:5000/x"} {
		if err := CheckRegistry(ok); err != nil {
			t.Errorf("CheckRegistry(%q) = %v", ok, err)
		}
	}
	for reg, want := range map[string]string{
		"":                               "empty",
		"registry.example.com/my conf":   "white space",
		"Registry.example.com/conf":      "upper case; image references are lower case (registry.example.com/conf)",
		"registry.example.com/Conf":      "upper case",
		"https://registry.example.com/x": "a URL scheme",
		"registry.example.com/x:1":       "a tag",
		"registry.example.com/x@sha256:0123456789012345678901234567890123456789012345678901234567890123": "a digest",
		"registry.example.com//x": `repository path component ""`,
		"registry.example.com/-x": `repository path component "-x"`,
		"-registry.example.com/x": `registry host "-registry.example.com"`,
	} {
		err := CheckRegistry(reg)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckRegistry(%q) = %v; want %q", reg, err, want)
		}
	}
}
