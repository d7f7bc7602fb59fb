//go:build e2e

package statefulset_test

import (
	"errors"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/report"
)

// expectHeld fails the spec when a guarantee checker found violations, after
// putting them in the spec's report (report.EntryViolations): the
// certification report draws them on the spec's timeline. It matters most
// for the checkers that need the spec's parameters (OrderedTermination,
// RollingUpdate), which the report cannot re-run on its own.
func expectHeld(err error) {
	GinkgoHelper()
	var vs guarantee.Violations
	if errors.As(err, &vs) {
		// The failure message already shows them on the console.
		AddReportEntry(report.EntryViolations, vs, ReportEntryVisibilityNever)
	}
	Expect(err).NotTo(HaveOccurred())
}
