package incluster

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Finish packs the results directory into ArchiveFile and writes DoneFile
// with the archive's path, Sonobuoy's signal that the plugin is done. It
// runs whatever the suite's outcome: without the done file Sonobuoy marks
// the plugin errored instead of reporting the failures.
func Finish(dir string) error {
	archive := filepath.Join(dir, ArchiveFile)
	if err := Archive(dir, archive); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, DoneFile), []byte(archive), 0o644)
}

// Archive writes a gzipped tar of dir's regular files and directories to
// out, leaving out out itself and the done file.
func Archive(dir, out string) (err error) {
	f, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("results archive: %w", err)
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == "." || p == out || rel == DoneFile {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() && !info.IsDir() {
			return nil
		}
		h, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return err
		}
		h.Name = filepath.ToSlash(rel)
		if info.IsDir() {
			h.Name += "/"
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if info.IsDir() {
			return nil
		}
		src, err := os.Open(p)
		if err != nil {
			return err
		}
		_, err = io.Copy(tw, src)
		return errors.Join(err, src.Close())
	})
	if err != nil {
		return fmt.Errorf("results archive of %s: %w", dir, err)
	}
	return errors.Join(tw.Close(), gz.Close())
}
