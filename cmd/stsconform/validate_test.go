package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// What Sonobuoy would only find out in the cluster is refused here.
func TestCheckSonobuoyFlags(t *testing.T) {
	const reg = "registry.example.com/stsconform"
	if err := checkSonobuoyFlags(reg, `\[Conformance\]`, "drain|node failure", "--timeout-dns=3m --storage-class standard"); err != nil {
		t.Fatalf("good flags: %v", err)
	}
	for _, tc := range []struct{ registry, focus, skip, suite, want string }{
		{"", "", "", "", "--image-registry is required"},
		{"registry.example.com/my conf", "", "", "", "--image-registry: image registry \"registry.example.com/my conf\": white space"},
		{"Registry.example.com/x", "", "", "", "upper case"},
		{"https://registry.example.com/x", "", "", "", "a URL scheme"},
		{reg, "([", "", "", `--focus "([" is not a regular expression: error parsing regexp: missing closing ]`},
		{reg, "", "*drain", "", `--skip "*drain" is not a regular expression`},
		{reg, "", "", "--timeout-dns=3x", `--suite-flags "--timeout-dns=3x": invalid value "3x" for flag -timeout-dns`},
		{reg, "", "", "--no-such-flag", "flag provided but not defined: -no-such-flag"},
		{reg, "", "", "--timeout-dns=3m web", `"web" is not a flag`},
		{reg, "", "", "-help", "-help is not a suite flag"},
		{reg, "", "", "--timeout-dns=3m --artifacts=/tmp/x", "--suite-flags: --artifacts is not yours to give in the cluster: the runner writes the results"},
		{reg, "", "", "--kubeconfig /root/.kube/config", "--kubeconfig is not yours to give"},
	} {
		err := checkSonobuoyFlags(tc.registry, tc.focus, tc.skip, tc.suite)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("checkSonobuoyFlags(%q, %q, %q, %q) = %v; want %q", tc.registry, tc.focus, tc.skip, tc.suite, err, tc.want)
		}
	}
}

func TestSonobuoyPluginRefusesBadFlags(t *testing.T) {
	out, err := runStsconform("sonobuoy-plugin", "--image-registry", "registry.example.com/x", "--focus", "([")
	if err == nil || out != "" {
		t.Errorf("a bad --focus printed %q, err %v", out, err)
	}
}

func TestCheckOutputFileAndDir(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	writeFile(t, file, nil)
	if err := checkOutputFile("kubeconfig", filepath.Join(dir, "new", "kubeconfig")); err != nil {
		t.Errorf("a file in a directory to make: %v", err)
	}
	if err := checkOutputFile("kubeconfig", filepath.Join(file, "sub", "kubeconfig")); err == nil || !strings.Contains(err.Error(), file+" is not a directory") {
		t.Errorf("a file under a file: %v", err)
	}
	if err := checkDir("artifacts directory", file); err == nil || err.Error() != "artifacts directory "+file+" is not a directory" {
		t.Errorf("checkDir(file): %v", err)
	}
	if err := checkDir("artifacts directory", filepath.Join(dir, "absent")); err == nil || !strings.HasSuffix(err.Error(), "absent: no such directory") {
		t.Errorf("checkDir(absent): %v", err)
	}
}
