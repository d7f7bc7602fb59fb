package artifact

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestWriteFileReplacesARegularFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "report.md")
	if err := os.WriteFile(p, []byte("old verdict"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	fi, _ := os.Stat(p)
	if string(got) != "new" || fi.Mode().Perm() != 0o644 {
		t.Errorf("content %q mode %v; want \"new\" 0644", got, fi.Mode().Perm())
	}
	assertOnly(t, dir, "report.md")
}

// A downloaded artifacts directory whose report.md links elsewhere must not
// make the report overwrite that file.
func TestWriteFileRefusesASymlink(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "precious")
	if err := os.WriteFile(victim, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "report.md")
	if err := os.Symlink(victim, p); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(p, []byte("verdict"), 0o644)
	if err == nil || !strings.Contains(err.Error(), "symbolic link (to "+victim+")") {
		t.Fatalf("WriteFile through a symlink: %v", err)
	}
	if got, _ := os.ReadFile(victim); string(got) != "keep me" {
		t.Errorf("the link's target was overwritten: %q", got)
	}
	// A dangling link is refused as well: writing would create its target.
	dangling := filepath.Join(dir, "certification.json")
	if err := os.Symlink(filepath.Join(t.TempDir(), "new"), dangling); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(dangling, []byte("{}"), 0o644); err == nil {
		t.Error("WriteFile through a dangling symlink succeeded")
	}
}

func TestWriteFileRefusesWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "report.html")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(sub, nil, 0o644); err == nil || !strings.Contains(err.Error(), "not a regular file (a directory)") {
		t.Errorf("directory: %v", err)
	}
	fifo := filepath.Join(dir, "report.md")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	if err := WriteFile(fifo, nil, 0o644); err == nil || !strings.Contains(err.Error(), "a named pipe") {
		t.Errorf("named pipe: %v", err)
	}
}

// A write that fails leaves the old file whole and no temporary file.
func TestWriteFileLeavesNoPartialFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "certification.json")
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	rename = func(string, string) error { return errors.New("disk gone") }
	t.Cleanup(func() { rename = os.Rename })
	if err := WriteFile(p, []byte("new"), 0o644); err == nil {
		t.Fatal("WriteFile succeeded although its rename failed")
	}
	if got, _ := os.ReadFile(p); string(got) != "old" {
		t.Errorf("old file now %q", got)
	}
	assertOnly(t, dir, "certification.json")
}

// The rename is what makes the write whole: the temporary file sits next
// to the target until then, and is gone after.
func TestWriteFileGoesThroughATemporaryFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "report.html")
	if err := WriteFile(p, []byte(strings.Repeat("x", 1<<20)), 0o644); err != nil {
		t.Fatal(err)
	}
	assertOnly(t, dir, "report.html")
	// The target's directory, not /tmp: a rename across file systems
	// would fail, and a copy would not be atomic.
	if err := WriteFile(filepath.Join(dir, "missing", "x"), nil, 0o644); err == nil {
		t.Error("WriteFile into a missing directory succeeded")
	}
}

func TestRemove(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "precious")
	if err := os.WriteFile(victim, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "report.md")
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	if removed, err := Remove(link); !removed || err != nil {
		t.Errorf("Remove(link) = %v, %v", removed, err)
	}
	if _, err := os.Stat(victim); err != nil {
		t.Errorf("Remove followed the link: %v", err)
	}
	if removed, err := Remove(filepath.Join(dir, "absent")); removed || err != nil {
		t.Errorf("Remove(absent) = %v, %v", removed, err)
	}
	if removed, err := Remove(dir); removed || err == nil {
		t.Errorf("Remove(directory) = %v, %v", removed, err)
	}
}

func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Errorf("%s holds %v; want %v", dir, got, names)
	}
}
