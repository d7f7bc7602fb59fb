package report

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Write renders report.html, report.md and certification.json into dir.
// Each output is attempted even if another fails, and every error is
// returned, so one bad renderer cannot cost the others.
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
		data, err := out.render()
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, out.name), data, 0o644)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("writing %s: %w", out.name, err))
		}
	}
	return errors.Join(errs...)
}
