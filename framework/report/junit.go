package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/onsi/ginkgo/v2/reporters"
)

// junitGlob matches Ginkgo's JUnit reports at the top of an artifacts
// directory: junit.xml (make e2e, selftest) and junit_01.xml (the
// in-cluster runner, named as Kubernetes' conformance image names it).
const junitGlob = "junit*.xml"

// junitProblems checks Ginkgo's JUnit reports the way Load checks
// report.json: each must parse to its end, since CI systems read the run
// from them, and a truncated one means Ginkgo did not finish writing its
// reports. Load cannot require one of the in-process report: Ginkgo
// writes it after the suite.
func junitProblems(artifactsDir string) []string {
	files, err := filepath.Glob(filepath.Join(artifactsDir, junitGlob))
	if err != nil {
		return []string{fmt.Sprintf("listing Ginkgo's JUnit reports: %v", err)}
	}
	if len(files) == 0 {
		return []string{"no Ginkgo JUnit report (junit.xml) is in the artifacts: Ginkgo did not finish writing its reports"}
	}
	var out []string
	for _, f := range files {
		if err := readJUnit(f); err != nil {
			out = append(out, fmt.Sprintf("Ginkgo's JUnit report %s is unreadable: %v", filepath.Base(f), err))
		}
	}
	return out
}

// readJUnit decodes a whole JUnit report: one <testsuites> element and
// nothing after it but white space and comments.
func readJUnit(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	var suites reporters.JUnitTestSuites
	if err := d.Decode(&suites); err != nil {
		return err
	}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.Comment, xml.ProcInst:
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return fmt.Errorf("text after </testsuites> at offset %d", d.InputOffset())
			}
		default:
			return fmt.Errorf("content after </testsuites> at offset %d", d.InputOffset())
		}
	}
}
