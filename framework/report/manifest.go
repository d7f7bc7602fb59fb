package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// Output file names, in the artifacts directory.
const (
	HTMLFile          = "report.html"
	MarkdownFile      = "report.md"
	CertificationFile = "certification.json"
)

// outputs are left out of the manifest: they are derived from the
// evidence and rewritten on every Write, so hashing them would make the
// manifest disagree with itself.
var outputs = []string{HTMLFile, MarkdownFile, CertificationFile}

// manifestEntry is one artifact file with its size and SHA-256, so that a
// reader can tell the evidence they hold is the evidence judged.
type manifestEntry struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// manifest hashes every regular file under dir but the report outputs at
// its top. Symlinks and other special files are skipped: they are not
// evidence and may point outside the directory.
func manifest(dir string) ([]manifestEntry, error) {
	var out []manifestEntry
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if slices.Contains(outputs, rel) {
			return nil
		}
		size, sum, err := hashFile(path)
		if err != nil {
			return err
		}
		out = append(out, manifestEntry{Path: rel, Size: size, SHA256: sum})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("manifest of %s: %w", dir, err)
	}
	return out, nil
}

func hashFile(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", fmt.Errorf("hashing %s: %w", path, err)
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}
