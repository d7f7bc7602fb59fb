package imagebuild

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// Cache holds build outputs under Dir/<kind>/<key>/. An entry counts only
// once its stamp file is written, after everything in it; an entry without a
// stamp (a build cut short) is removed and built again.
type Cache struct{ Dir string }

const stamp = ".complete"

// Entry returns the directory of an entry and whether it is complete.
func (c Cache) Entry(kind, key string) (string, bool) {
	dir := filepath.Join(c.Dir, kind, key)
	_, err := os.Stat(filepath.Join(dir, stamp))
	return dir, err == nil
}

// Build runs fill into a fresh entry directory unless a complete one exists.
func (c Cache) Build(kind, key string, fill func(dir string) error) (string, error) {
	dir, ok := c.Entry(kind, key)
	if ok {
		return dir, nil
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if err := fill(dir); err != nil {
		return "", err
	}
	return dir, os.WriteFile(filepath.Join(dir, stamp), nil, 0o644)
}

// Key hashes its parts into a short cache key.
type Key struct{ h hashWriter }

type hashWriter interface {
	io.Writer
	Sum([]byte) []byte
}

func NewKey(parts ...string) *Key {
	k := &Key{h: sha256.New()}
	for _, p := range parts {
		k.Add(p)
	}
	return k
}

func (k *Key) Add(s string) *Key {
	fmt.Fprintf(k.h, "%d:%s;", len(s), s)
	return k
}

// AddTree hashes the names, modes and contents of every file under root
// (in name order), so that a change anywhere invalidates the key.
func (k *Key) AddTree(root string) error {
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(files)
	for _, p := range files {
		rel, _ := filepath.Rel(root, p)
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		k.Add(rel).Add(fi.Mode().String())
		if fi.Mode()&fs.ModeSymlink != 0 {
			t, _ := os.Readlink(p)
			k.Add(t)
			continue
		}
		if err := k.AddFile(p); err != nil {
			return err
		}
	}
	return nil
}

// AddFile hashes the content of the file at p.
func (k *Key) AddFile(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(k.h, f)
	return err
}

// Write hashes raw bytes, so that a large input can be streamed in.
func (k *Key) Write(p []byte) (int, error) { return k.h.Write(p) }

func (k *Key) String() string { return hex.EncodeToString(k.h.Sum(nil))[:16] }
