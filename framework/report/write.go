package report

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/stsconform/stsconform/framework/artifact"
)

// Write renders report.html, report.md and certification.json into dir.
// Each output is attempted even if another fails, and every error is
// returned, so one bad renderer cannot cost the others. An output is
// written whole or not at all (artifact.WriteFile: never through a
// symbolic link), and one that could not be written is removed if an
// earlier run left it: no verdict stays next to evidence it did not judge.
func (r *Report) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("writing report: %w", err)
	}
	var errs []error
	for _, out := range []struct {
		name   string
		render func() ([]byte, error)
	}{
		{HTMLFile, r.html},
		{MarkdownFile, r.markdown},
		{CertificationFile, r.certification},
	} {
		path := filepath.Join(dir, out.name)
		data, err := out.render()
		if err == nil {
			err = artifact.WriteFile(path, data, 0o644)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("writing %s: %w%s", out.name, err, removeStale(path)))
		}
	}
	return errors.Join(errs...)
}

// removeStale removes an output this run did not write and says so, for
// the end of the error that explains why.
func removeStale(path string) string {
	removed, err := artifact.Remove(path)
	switch {
	case err != nil:
		return fmt.Sprintf("; the earlier %s could not be removed either: %v", filepath.Base(path), err)
	case removed:
		return "; removed it, so that no earlier verdict stands in its place"
	}
	return ""
}
