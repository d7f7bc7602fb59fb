// Package artifact writes the files a run leaves for an auditor so that a
// reader finds the old file or the new one, never a part of one, and so
// that a directory from elsewhere (an artifacts download whose report.md
// links to a file outside it) cannot make the suite write anywhere else.
package artifact

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFile writes data to path: into a temporary file of path's
// directory, synced, then renamed over path. It refuses a path that is a
// symbolic link or anything but a regular file; the rename itself never
// follows a link either, should one appear meanwhile.
func WriteFile(path string, data []byte, perm fs.FileMode) (err error) {
	if err := CheckTarget(path); err != nil {
		return err
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Chmod(perm); err != nil {
		return err
	}
	// Without the sync a crash after the rename can leave an empty file
	// under the final name.
	if err := f.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return rename(tmp, path)
}

// rename is os.Rename; a test makes it fail to see what a failed write
// leaves.
var rename = os.Rename

// CheckTarget is nil when path does not exist or is a regular file: what
// WriteFile may replace.
func CheckTarget(path string) error {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case fi.Mode()&fs.ModeSymlink != 0:
		to, _ := os.Readlink(path)
		return fmt.Errorf("refusing to write %s: it is a symbolic link (to %s)", path, to)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("refusing to write %s: it is not a regular file (%s)", path, describeMode(fi.Mode()))
	}
	return nil
}

// Remove deletes path unless it is a directory; a symbolic link is removed
// itself, never what it points to. It reports whether something was
// removed; a path that does not exist is no error.
func Remove(path string) (bool, error) {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, err
	case fi.IsDir():
		return false, fmt.Errorf("%s is a directory; left in place", path)
	}
	if err := os.Remove(path); err != nil {
		return false, err
	}
	return true, nil
}

func describeMode(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return m.Type().String()
}
