package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/stsconform/stsconform/framework/artifact"
)

// GinkgoReportFile is the name given to Ginkgo's --json-report in the
// artifacts directory.
const GinkgoReportFile = "report.json"

// Load rebuilds the report of a finished run from its artifacts directory
// (e.g. downloaded from CI): Ginkgo's report.json, the suite's
// environment.json and the timelines. Without a complete report.json
// there is nothing to judge: that is an error. An environment.json or
// Ginkgo JUnit report that is missing or cannot be read is a problem of
// the run, named with its reason: the report is still rendered, never
// certified.
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
	var problems []string
	env, err := ReadEnvironment(filepath.Join(artifactsDir, EnvironmentFile))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		problems = append(problems, EnvironmentFile+" is not in the artifacts: the environment is unknown")
	case err != nil:
		env = Environment{}
		problems = append(problems, fmt.Sprintf("%s is unreadable (%v): the environment is unknown", EnvironmentFile, err))
	}
	problems = append(problems, junitProblems(artifactsDir)...)
	r, err := Build(Input{Ginkgo: g, Environment: env, ArtifactsDir: artifactsDir})
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		r.problems = append(r.problems, problems...)
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

// Rebuild loads the run of artifactsDir and writes its report into
// outDir. When it cannot, no earlier report stays in outDir to be read as
// the verdict of this evidence: what it did not write is removed, and the
// error says so.
func Rebuild(artifactsDir, outDir string) (*Report, error) {
	r, err := Load(artifactsDir)
	if err != nil {
		var removed []string
		for _, name := range outputs {
			ok, rerr := artifact.Remove(filepath.Join(outDir, name))
			if rerr != nil {
				err = fmt.Errorf("%w; the earlier %s could not be removed: %v", err, name, rerr)
			}
			if ok {
				removed = append(removed, name)
			}
		}
		if len(removed) > 0 {
			err = fmt.Errorf("%w; removed the earlier %s of %s: they did not judge this evidence", err, strings.Join(removed, ", "), outDir)
		}
		return nil, err
	}
	return r, r.Write(outDir)
}
