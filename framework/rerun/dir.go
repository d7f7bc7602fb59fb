package rerun

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/stsconform/stsconform/framework/report"
	"github.com/stsconform/stsconform/framework/suiterun"
)

// attemptsDir holds, under a merged certification's artifacts directory,
// each attempt's own results: attempts/1 the first run as it was,
// attempts/2 the first re-run, and so on.
const attemptsDir = "attempts"

// notCopied stay out of an attempt's copy of the first run: the earlier
// attempts (already kept) and a cluster's credentials, which are no
// evidence.
var notCopied = []string{attemptsDir, "kubeconfig"}

// evidenceDirs are where a spec's own evidence lives, relative to the
// artifacts directory; a re-run spec's is replaced by the re-run's.
var evidenceDirs = []string{"timelines/", "diagnostics/"}

// Plan is a re-run about to happen.
type Plan struct {
	// Dir is the certification's artifacts directory.
	Dir string
	// Previous is its Ginkgo report; History its re-runs so far (nil:
	// Dir holds one run).
	Previous types.Report
	History  *report.Rerun
	// Specs are those to run again, Focus the Ginkgo --focus that
	// selects exactly them.
	Specs []types.SpecReport
	Focus string
	// Attempt is the re-run's number, AttemptDir where it writes its
	// results (Dir/attempts/N).
	Attempt    int
	AttemptDir string
}

// Prepare plans a re-run of the run in from, whose certification is to be
// in to: the same directory (the default), or a new one that gets a copy
// of from first. With nothing to re-run, Specs is empty and nothing is
// written. Otherwise the first run is kept as attempts/1 (once) and the
// re-run's directory is made empty.
func Prepare(from, to string) (*Plan, error) {
	var err error
	if from, err = filepath.Abs(from); err != nil {
		return nil, err
	}
	if to, err = filepath.Abs(to); err != nil {
		return nil, err
	}
	if to != from {
		if err := copyInto(from, to); err != nil {
			return nil, err
		}
	}
	prev, err := ReadGinkgoReport(to)
	if err != nil {
		return nil, err
	}
	h, err := report.ReadRerun(to)
	if err != nil {
		return nil, err
	}
	p := &Plan{Dir: to, Previous: prev, History: h, Specs: Select(prev)}
	if len(p.Specs) == 0 {
		return p, nil
	}
	p.Focus = Focus(prev.SuiteDescription, p.Specs)
	p.Attempt = 2
	if h != nil {
		p.Attempt = len(h.Attempts) + 1
	} else if err := p.keepFirst(); err != nil {
		return nil, err
	}
	p.AttemptDir = filepath.Join(to, attemptsDir, strconv.Itoa(p.Attempt))
	// An attempt that never folded (its run left no report) is redone.
	if err := os.RemoveAll(p.AttemptDir); err != nil {
		return nil, err
	}
	return p, os.MkdirAll(p.AttemptDir, 0o755)
}

// keepFirst copies the first run, as it is, into attempts/1.
func (p *Plan) keepFirst() error {
	first := filepath.Join(p.Dir, attemptsDir, "1")
	if err := os.RemoveAll(first); err != nil {
		return err
	}
	return copyTree(p.Dir, first, func(rel string) bool { return !slices.Contains(notCopied, rel) })
}

// ReadGinkgoReport reads the Ginkgo JSON report of an artifacts directory,
// its suites joined.
func ReadGinkgoReport(dir string) (types.Report, error) {
	path := filepath.Join(dir, suiterun.JSONReportFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return types.Report{}, fmt.Errorf("re-run: %w", err)
	}
	var suites []types.Report
	if err := json.Unmarshal(data, &suites); err != nil {
		return types.Report{}, fmt.Errorf("re-run: decoding %s: %w", path, err)
	}
	if len(suites) == 0 {
		return types.Report{}, fmt.Errorf("re-run: %s holds no suite report", path)
	}
	g := suites[0]
	for _, s := range suites[1:] {
		g = g.Add(s)
	}
	return g, nil
}

// Fold merges the re-run's results (in AttemptDir) into the certification
// in Dir: Ginkgo's JSON and JUnit reports at the top become the merged
// ones, each re-run spec's evidence (timelines, diagnostics) at the top is
// the re-run's, and rerun.json records the attempt. The attempts' own
// results stay where they are; the caller renders the report again.
func (p *Plan) Fold() error {
	again, err := ReadGinkgoReport(p.AttemptDir)
	if err != nil {
		return fmt.Errorf("the re-run left no report to merge: %w", err)
	}
	merged := Merge(p.Previous, again, p.Specs)
	redone := map[string]bool{}
	for _, s := range p.Specs {
		redone[s.FullText()] = true
		if err := p.dropEvidence(s); err != nil {
			return err
		}
	}
	for i, s := range merged.SpecReports {
		if s.LeafNodeType == types.NodeTypeIt && redone[s.FullText()] {
			if err := p.takeEvidence(&merged.SpecReports[i]); err != nil {
				return err
			}
		}
	}
	if err := reporters.GenerateJSONReport(merged, filepath.Join(p.Dir, suiterun.JSONReportFile)); err != nil {
		return err
	}
	junits := 0
	for _, name := range []string{suiterun.JUnitFile, suiterun.ConformanceJUnitFile} {
		if _, err := os.Stat(filepath.Join(p.Dir, name)); err == nil {
			junits++
			if err := reporters.GenerateJUnitReport(merged, filepath.Join(p.Dir, name)); err != nil {
				return err
			}
		}
	}
	if junits == 0 {
		if err := reporters.GenerateJUnitReport(merged, filepath.Join(p.Dir, suiterun.JUnitFile)); err != nil {
			return err
		}
	}
	firstEnv, _ := report.ReadEnvironment(filepath.Join(p.Dir, report.EnvironmentFile))
	againEnv, _ := report.ReadEnvironment(filepath.Join(p.AttemptDir, report.EnvironmentFile))
	if firstEnv.ServerVersion == "" && againEnv.ServerVersion != "" {
		// The first run never read its cluster (its setup failed): the
		// certification states the environment the re-run read.
		if err := copyFile(filepath.Join(p.AttemptDir, report.EnvironmentFile), filepath.Join(p.Dir, report.EnvironmentFile)); err != nil {
			return err
		}
	}
	return p.record(again, attemptsDir+"/1", firstEnv.RunID, againEnv.RunID).Write(p.Dir)
}

// evidence lists the spec's timelines and diagnostics, relative to dir;
// set, when given, rewrites each entry's value.
func evidence(dir string, s *types.SpecReport, set func(i int, rel string)) []string {
	var out []string
	for i, e := range s.ReportEntries {
		if e.Name != report.EntryTimeline && e.Name != report.EntryDiagnostics {
			continue
		}
		rel := report.EntryPath(dir, e.StringRepresentation())
		if !slices.ContainsFunc(evidenceDirs, func(d string) bool { return strings.HasPrefix(rel, d) }) || strings.Contains(rel, "..") {
			// Not the suite's own evidence layout: left where it is.
			continue
		}
		out = append(out, rel)
		if set != nil {
			set(i, rel)
		}
	}
	return out
}

// dropEvidence removes, from the top of Dir, the evidence the spec's
// earlier report points to: it is kept in the attempt that made it, and
// left at the top it would be shown as no spec's.
func (p *Plan) dropEvidence(s types.SpecReport) error {
	for _, rel := range evidence(p.Dir, &s, nil) {
		if err := os.RemoveAll(filepath.Join(p.Dir, rel)); err != nil {
			return err
		}
	}
	return nil
}

// takeEvidence copies the re-run spec's evidence from the attempt to the
// top of Dir and points its report entries there.
func (p *Plan) takeEvidence(s *types.SpecReport) error {
	var errs []error
	evidence(p.AttemptDir, s, func(i int, rel string) {
		src, dst := filepath.Join(p.AttemptDir, rel), filepath.Join(p.Dir, rel)
		if info, err := os.Stat(src); err != nil {
			errs = append(errs, err)
			return
		} else if info.IsDir() {
			errs = append(errs, copyTree(src, dst, func(string) bool { return true }))
		} else {
			errs = append(errs, copyFile(src, dst))
		}
		s.ReportEntries[i].Value = types.WrapEntryValue(rel)
	})
	return errors.Join(errs...)
}

// copyInto copies the directory from into to, which must not exist or be
// empty: a certification is never merged into someone else's files.
func copyInto(from, to string) error {
	if rel, err := filepath.Rel(from, to); err == nil && !strings.HasPrefix(rel, "..") {
		return fmt.Errorf("re-run: %s is inside %s; give a directory outside it for the merged certification", to, from)
	}
	if entries, err := os.ReadDir(to); err == nil && len(entries) > 0 {
		return fmt.Errorf("re-run: %s is not empty; give a new directory for the merged certification", to)
	}
	return copyTree(from, to, func(string) bool { return true })
}

// copyTree copies the regular files and directories under src to dst;
// keep decides on each top-level entry (by its name). Symlinks and other
// special files are not evidence and are not copied.
func copyTree(src, dst string, keep func(top string) bool) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil || rel == "." {
			return err
		}
		if top, _, _ := strings.Cut(filepath.ToSlash(rel), "/"); !keep(top) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type().IsRegular():
			return copyFile(path, target)
		}
		return nil
	})
}

func copyFile(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	_, err = io.Copy(out, in)
	return err
}
