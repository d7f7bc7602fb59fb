package imagebuild

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	zkimage "github.com/stsconform/stsconform/hermetic/zookeeperimage"
)

func TestParseAptCacheShowTakesEachPackagesFirstRecord(t *testing.T) {
	out := `Package: zookeeper
Version: 3.8.0-11+deb12u2
Depends: adduser, default-jre

Package: libc6
Source: glibc
Version: 2.36-9+deb12u14
Description: GNU C Library

Package: libc6
Version: 2.36-9+deb12u10
`
	got := ParseAptCacheShow(out)
	if got["zookeeper"] != "3.8.0-11+deb12u2" || got["libc6"] != "2.36-9+deb12u14" || len(got) != 2 {
		t.Fatalf("versions = %v", got)
	}
	pins, err := PinVersions([]string{"libc6", "zookeeper"}, got)
	if err != nil || strings.Join(pins, " ") != "libc6=2.36-9+deb12u14 zookeeper=3.8.0-11+deb12u2" {
		t.Fatalf("pins = %v, %v", pins, err)
	}
	if _, err := PinVersions([]string{"libc6", "openjdk-99-jre"}, got); err == nil || !strings.Contains(err.Error(), "a Debian package is missing: apt-cache knows no candidate for openjdk-99-jre") {
		t.Fatalf("missing package: %v", err)
	}
}

func TestRelinkAbsoluteKeepsLinksInsideTheTree(t *testing.T) {
	root := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "etc/java"), 0o755))
	must(os.MkdirAll(filepath.Join(root, "usr/lib/jvm/lib"), 0o755))
	must(os.WriteFile(filepath.Join(root, "etc/java/jvm.cfg"), []byte("-server KNOWN\n"), 0o644))
	must(os.Symlink("/etc/java/jvm.cfg", filepath.Join(root, "usr/lib/jvm/lib/jvm.cfg")))
	must(os.Symlink("/nonexistent/cacerts", filepath.Join(root, "usr/lib/jvm/lib/cacerts")))
	must(os.Symlink("jvm.cfg", filepath.Join(root, "usr/lib/jvm/lib/relative")))
	must(RelinkAbsolute(root))

	if got, _ := os.Readlink(filepath.Join(root, "usr/lib/jvm/lib/jvm.cfg")); got != "../../../../etc/java/jvm.cfg" {
		t.Errorf("jvm.cfg -> %q", got)
	}
	if b, err := os.ReadFile(filepath.Join(root, "usr/lib/jvm/lib/jvm.cfg")); err != nil || string(b) != "-server KNOWN\n" {
		t.Errorf("jvm.cfg reads %q, %v", b, err)
	}
	if got, _ := os.Readlink(filepath.Join(root, "usr/lib/jvm/lib/cacerts")); got != "/nonexistent/cacerts" {
		t.Errorf("a link to a path the tree lacks was changed: %q", got)
	}
	if got, _ := os.Readlink(filepath.Join(root, "usr/lib/jvm/lib/relative")); got != "jvm.cfg" {
		t.Errorf("a relative link was changed: %q", got)
	}
}

func TestAddHostDirKeepsModesAndLinks(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bin/java"), []byte("ELF"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../bin/java", filepath.Join(dir, "bin/alias")); err != nil {
		t.Fatal(err)
	}
	tr := NewTree()
	if err := AddHostDir(tr, "opt/java", dir); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := tr.WriteTar(&buf); err != nil {
		t.Fatal(err)
	}
	got := map[string]*tar.Header{}
	r := tar.NewReader(&buf)
	for {
		h, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got[h.Name] = h
	}
	if h := got["opt/java/bin/java"]; h == nil || h.Mode != 0o755 || h.Size != 3 {
		t.Errorf("bin/java: %+v", h)
	}
	if h := got["opt/java/bin/alias"]; h == nil || h.Typeflag != tar.TypeSymlink || h.Linkname != "../bin/java" {
		t.Errorf("bin/alias: %+v", h)
	}
	if got["opt/java/"] == nil || got["opt/"] == nil {
		t.Errorf("parent directories missing: %v", got)
	}
}

// The closure is tested on this host's own binaries, which link libc like
// the runtime does.
func TestSharedLibrariesFollowsNeededToTheLoader(t *testing.T) {
	bin := "/bin/ls"
	if _, err := os.Stat(bin); err != nil {
		t.Skip("no /bin/ls")
	}
	libs, err := SharedLibraries([]string{bin}, []string{"/"}, "/nonexistent")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]SharedLib{}
	for _, l := range libs {
		names[l.Name] = l
	}
	libc, ok := names["libc.so.6"]
	if !ok {
		t.Fatalf("libc.so.6 not found: %+v", libs)
	}
	if strings.HasPrefix(libc.ImagePath, "/") || !strings.HasSuffix(libc.ImagePath, "/libc.so.6") {
		t.Errorf("libc image path %q", libc.ImagePath)
	}
	var interp bool
	for n, l := range names {
		if strings.HasPrefix(n, "/") && strings.Contains(n, "ld-linux") {
			interp = l.ImagePath == strings.TrimPrefix(n, "/")
		}
	}
	if !interp {
		t.Errorf("the dynamic loader is missing or misplaced: %+v", libs)
	}

	_, err = SharedLibraries([]string{bin}, []string{t.TempDir()}, "/nonexistent")
	if err == nil || !strings.Contains(err.Error(), "libc.so.6 (needed by ls)") {
		t.Errorf("a library the packages lack must be named: %v", err)
	}
}

func TestZooKeeperImageRunsTheStartScript(t *testing.T) {
	s := ZooKeeperImage("/cache/rootfs.tar")
	if s.BaseTar != "/cache/rootfs.tar" {
		t.Errorf("spec %+v", s)
	}
	if len(s.ExtraFiles) != 1 || s.ExtraFiles[0].Path != zkimage.StartPath || string(s.ExtraFiles[0].Data) != zkimage.StartScript {
		t.Errorf("start script not in the image: %+v", s.ExtraFiles)
	}
	if strings.Join(s.Cmd, " ") != "sh "+zkimage.StartPath {
		t.Errorf("cmd %v", s.Cmd)
	}
	if !strings.Contains(dockerfile(s, "k"), "COPY zk-start "+zkimage.StartPath) {
		t.Errorf("dockerfile:\n%s", dockerfile(s, "k"))
	}
}
