package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/onsi/ginkgo/v2/types"
)

// GinkgoReportFile is the name given to Ginkgo's --json-report in the
// artifacts directory.
const GinkgoReportFile = "report.json"

// Load rebuilds the report of a finished run from its artifacts directory
// (e.g. downloaded from CI): Ginkgo's report.json, the suite's
// environment.json and the timelines. A missing environment.json leaves
// the environment unknown, and says so, rather than failing: older runs
// did not write one.
func Load(artifactsDir string) (*Report, error) {
	data, err := os.ReadFile(filepath.Join(artifactsDir, GinkgoReportFile))
	if err != nil {
		return nil, fmt.Errorf("loading report: %w", err)
	}
	var suites []types.Report
	if err := json.Unmarshal(data, &suites); err != nil {
		return nil, fmt.Errorf("decoding %s: %w", GinkgoReportFile, err)
	}
	if len(suites) == 0 {
		return nil, fmt.Errorf("%s holds no suite report", GinkgoReportFile)
	}
	// One ginkgo invocation writes one entry per suite it ran; this
	// project has a single suite, but a report of several still judges
	// all their specs together.
	g := suites[0]
	for _, s := range suites[1:] {
		g = g.Add(s)
	}
	env, err := ReadEnvironment(filepath.Join(artifactsDir, EnvironmentFile))
	var missing string
	switch {
	case errors.Is(err, fs.ErrNotExist):
		missing = EnvironmentFile + " is not in the artifacts: the environment is unknown"
	case err != nil:
		return nil, err
	}
	r, err := Build(Input{Ginkgo: g, Environment: env, ArtifactsDir: artifactsDir})
	if err != nil {
		return nil, err
	}
	if missing != "" {
		r.problems = append(r.problems, missing)
		r.verdict, r.reasons = overall(r.guarantees, r.problems)
	}
	if h, err := ReadRerun(artifactsDir); err != nil {
		r.problems = append(r.problems, err.Error())
		r.verdict, r.reasons = overall(r.guarantees, r.problems)
	} else if h != nil {
		r.applyRerun(h)
	}
	return r, nil
}
