package imagebuild

import (
	"archive/tar"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
	"time"
)

// Tree is an in-memory file tree written as a tarball: the layers this
// project adds on top of Debian's packages.
type Tree struct {
	entries map[string]treeEntry
}

type treeEntry struct {
	mode     int64
	typ      byte
	data     []byte
	hostPath string // content read from this file when data is nil
	link     string
}

func NewTree() *Tree { return &Tree{entries: map[string]treeEntry{}} }

func clean(p string) string { return strings.TrimPrefix(path.Clean("/"+p), "/") }

func (t *Tree) dirs(p string) {
	for d := path.Dir(p); d != "." && d != "/" && d != ""; d = path.Dir(d) {
		if _, ok := t.entries[d]; !ok {
			t.entries[d] = treeEntry{mode: 0o755, typ: tar.TypeDir}
		}
	}
}

// File adds a file with the given content.
func (t *Tree) File(p string, mode int64, data []byte) {
	p = clean(p)
	t.dirs(p)
	t.entries[p] = treeEntry{mode: mode, typ: tar.TypeReg, data: data}
}

// HostFile adds a file whose content is read from the host when written.
func (t *Tree) HostFile(p string, mode int64, host string) {
	p = clean(p)
	t.dirs(p)
	t.entries[p] = treeEntry{mode: mode, typ: tar.TypeReg, hostPath: host}
}

// Symlink adds a symbolic link.
func (t *Tree) Symlink(p, target string) {
	p = clean(p)
	t.dirs(p)
	t.entries[p] = treeEntry{mode: 0o777, typ: tar.TypeSymlink, link: target}
}

// Dir adds a directory.
func (t *Tree) Dir(p string, mode int64) {
	p = clean(p)
	t.dirs(p)
	t.entries[p] = treeEntry{mode: mode, typ: tar.TypeDir}
}

// Paths lists the entries in the order they are written.
func (t *Tree) Paths() []string {
	ps := make([]string, 0, len(t.entries))
	for p := range t.entries {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	return ps
}

// WriteTar writes the tree with fixed times and root ownership, so that the
// same inputs give the same bytes.
func (t *Tree) WriteTar(w io.Writer) error {
	tw := tar.NewWriter(w)
	epoch := time.Unix(0, 0)
	for _, p := range t.Paths() {
		e := t.entries[p]
		h := &tar.Header{Name: p, Mode: e.mode, Typeflag: e.typ, ModTime: epoch, Linkname: e.link, Format: tar.FormatPAX}
		if e.typ == tar.TypeDir {
			h.Name += "/"
		}
		data := e.data
		if e.typ == tar.TypeReg && e.hostPath != "" {
			b, err := os.ReadFile(e.hostPath)
			if err != nil {
				return fmt.Errorf("tree %s: %w", p, err)
			}
			data = b
		}
		h.Size = int64(len(data))
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
	}
	return tw.Close()
}

// WriteTarFile writes the tree to a file, atomically.
func (t *Tree) WriteTarFile(p string) error {
	tmp := p + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := t.WriteTar(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, p)
}
