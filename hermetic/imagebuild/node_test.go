package imagebuild

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const kindContainerdConfig = `version = 2
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
    SystemdCgroup = true
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.test-handler.options]
    SystemdCgroup = true
[plugins."io.containerd.grpc.v1.cri"]
  restrict_oom_score_adj = false
`

func TestAdaptContainerdConfig(t *testing.T) {
	out, err := AdaptContainerdConfig(kindContainerdConfig)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "restrict_oom_score_adj = true") || strings.Contains(out, "restrict_oom_score_adj = false") {
		t.Errorf("oom score setting not flipped:\n%s", out)
	}
	if got := strings.Count(out, `BinaryName = "`+Wrapper+`"`); got != 2 {
		t.Errorf("BinaryName set for %d runtimes, want 2:\n%s", got, out)
	}
	if _, err := AdaptContainerdConfig("version = 3\n"); err == nil {
		t.Error("a config without the expected lines must be refused, not silently passed")
	}
}

func TestCRIBaseSpec(t *testing.T) {
	in := `{"ociVersion":"1.0.2","process":{"rlimits":[{"type":"RLIMIT_NOFILE"}],"cwd":"/"},"hooks":{"createContainer":[{"path":"/x"}]}}`
	out, err := CRIBaseSpec([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Process map[string]any
		Hooks   struct{ CreateContainer []struct{ Path string } }
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if _, ok := doc.Process["rlimits"]; ok {
		t.Error("rlimits kept")
	}
	if n := len(doc.Hooks.CreateContainer); n != 2 || doc.Hooks.CreateContainer[1].Path != "/kind/bin/mount-product-files.sh" {
		t.Errorf("hooks = %+v", doc.Hooks.CreateContainer)
	}
}

func TestKindStorageManifestSubstitutesImages(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "pkg", "build", "nodeimage")
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
	src := "package nodeimage\n\nconst storageProvisionerImage = \"a\"\nconst storageHelperImage = \"b\"\n\n" +
		"const defaultStorageManifest = `\nimage: ` + storageProvisionerImage + `\nhelper: ` + storageHelperImage + `\n`\n"
	if err := os.WriteFile(filepath.Join(p, "const_storage.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := KindStorageManifest(dir, "prov:1", "help:2")
	if err != nil {
		t.Fatal(err)
	}
	if got != "\nimage: prov:1\nhelper: help:2\n" {
		t.Fatalf("manifest = %q", got)
	}
	if _, err := KindStorageManifest(t.TempDir(), "a", "b"); err == nil {
		t.Fatal("a kind module without the storage manifest must be an error")
	}
}

func TestTreeTarIsDeterministicWithParents(t *testing.T) {
	mk := func() []byte {
		tr := NewTree()
		tr.File("kind/version", 0o644, []byte("v1.34.3\n"))
		tr.Symlink("opt/cni/bin", "/usr/lib/cni")
		var buf bytes.Buffer
		if err := tr.WriteTar(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a, b := mk(), mk()
	if !bytes.Equal(a, b) {
		t.Fatal("same tree gave different tarballs")
	}
	var names []string
	r := tar.NewReader(bytes.NewReader(a))
	for {
		h, err := r.Next()
		if err != nil {
			break
		}
		names = append(names, h.Name)
	}
	want := "kind/ kind/version opt/ opt/cni/ opt/cni/bin"
	if strings.Join(names, " ") != want {
		t.Fatalf("entries = %v, want %s", names, want)
	}
}

func TestCacheIgnoresHalfWrittenEntries(t *testing.T) {
	c := Cache{Dir: t.TempDir()}
	calls := 0
	fail := func(dir string) error {
		calls++
		_ = os.WriteFile(filepath.Join(dir, "partial"), []byte("x"), 0o644)
		return errors.New("interrupted")
	}
	if _, err := c.Build("k", "key", fail); err == nil {
		t.Fatal("want the fill error")
	}
	if _, ok := c.Entry("k", "key"); ok {
		t.Fatal("a failed fill left a complete entry")
	}
	ok := func(dir string) error { calls++; return os.WriteFile(filepath.Join(dir, "out"), []byte("y"), 0o644) }
	dir, err := c.Build("k", "key", ok)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "partial")); err == nil {
		t.Fatal("leftovers of the failed build survived the rebuild")
	}
	if _, err := c.Build("k", "key", ok); err != nil || calls != 2 {
		t.Fatalf("complete entry rebuilt (calls=%d, err=%v)", calls, err)
	}
}

func TestKeyChangesWithTreeContent(t *testing.T) {
	dir := t.TempDir()
	_ = os.WriteFile(filepath.Join(dir, "a"), []byte("1"), 0o644)
	k1 := NewKey("x")
	if err := k1.AddTree(dir); err != nil {
		t.Fatal(err)
	}
	_ = os.WriteFile(filepath.Join(dir, "a"), []byte("2"), 0o644)
	k2 := NewKey("x")
	_ = k2.AddTree(dir)
	if k1.String() == k2.String() {
		t.Fatal("key did not change with file content")
	}
}

func TestDockerfileCarriesKeyAndEntrypoint(t *testing.T) {
	d := dockerfile(ImageSpec{Names: []string{"n"}, Binary: "/b", BinaryPath: "/coredns", Entrypoint: []string{"/coredns"}}, "abc")
	for _, want := range []string{"FROM scratch\n", "COPY bin /coredns\n", `ENTRYPOINT ["/coredns"]`, "LABEL " + KeyLabel + "=abc"} {
		if !strings.Contains(d, want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, d)
		}
	}
}

func TestCauseFromOutput(t *testing.T) {
	cases := map[string]string{
		"write /x: no space left on device":                                     "disk is full",
		"E: Unable to locate package nosuchpkg\nE: more":                        "Debian package is missing: Unable to locate package nosuchpkg",
		"permission denied while trying to connect to the Docker daemon socket": "no permission to use Docker",
	}
	for out, want := range cases {
		if got := causeFromOutput(out, "fallback"); !strings.Contains(got, want) {
			t.Errorf("causeFromOutput(%q) = %q, want it to contain %q", out, got, want)
		}
	}
}
