//go:build e2e

package statefulset_test

import (
	"errors"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/report"
	"github.com/stsconform/stsconform/framework/timeline"
)

// A failure is judged by its first line (by a reader scanning the report,
// and by `make selftest`, which checks that each breakage fails the right
// specs for the right reason). The framework's waits return errors that
// open with their cause; these assertions fail the spec with that message
// as it is.

// failOn fails the spec with err's own message when err is not nil.
func failOn(err error) {
	GinkgoHelper()
	if err != nil {
		Fail(err.Error())
	}
}

// failWithCause fails the spec when err is not nil, with cause() as the
// first line and err below: a checker's verdict on the recording says
// more than the wait that noticed.
func failWithCause(err error, cause func() string) {
	GinkgoHelper()
	if err != nil {
		Fail(cause() + "\n" + err.Error())
	}
}

// expectHeld judges tl (the recording, or a window of it cut with Since)
// with the check, records the check in the timeline file for `stsconform
// verify` and the report to judge again, and fails the spec when the
// guarantee did not hold, after putting the violations in the spec's report
// (report.EntryViolations): the certification report draws them on the
// spec's timeline.
func expectHeld(rec *timeline.Recorder, tl timeline.Timeline, check guarantee.Check) {
	GinkgoHelper()
	err := guarantee.Judge(rec, tl, check)
	var vs guarantee.Violations
	if errors.As(err, &vs) {
		// The failure message already shows them on the console.
		AddReportEntry(report.EntryViolations, vs, ReportEntryVisibilityNever)
	}
	// The checker's message as it is: its first line names the rule, the
	// pod and the evidence, where Gomega's would say "Unexpected error:".
	failOn(err)
}

// expectHeldOrKnown is expectHeld for a guarantee with known upstream
// bugs: when every violation is one of g's KnownIssues, the spec is not
// verified, naming the bug and the first violation (the whole verdict in
// the report as an observation), instead of failing; any other violation
// fails it.
func expectHeldOrKnown(rec *timeline.Recorder, tl timeline.Timeline, check guarantee.Check, g guarantee.Guarantee) {
	GinkgoHelper()
	err := guarantee.JudgeKnown(rec, tl, check, g.KnownIssues)
	if issue, first, ok := guarantee.Reproduced(err, g.KnownIssues); ok {
		// Not as report.EntryViolations, which the report counts as the
		// spec's failure: the bug's evidence is an observation.
		AddReportEntry("observation: known upstream bug", issue.ID+" "+issue.URL+"\n"+err.Error())
		Skip(issue.NotVerified(first))
	}
	var vs guarantee.Violations
	if errors.As(err, &vs) {
		AddReportEntry(report.EntryViolations, vs, ReportEntryVisibilityNever)
	}
	failOn(err)
}

// expectViolated is expectHeld for a contrast case: the check must find
// violations, not pass and not lack evidence; why names the contrast.
func expectViolated(rec *timeline.Recorder, tl timeline.Timeline, check guarantee.Check, why string) {
	GinkgoHelper()
	Expect(guarantee.JudgeViolated(rec, tl, check)).To(Succeed(), why)
}
