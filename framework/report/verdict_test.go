package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/stsconform/stsconform/framework/guarantee"
)

// buildFrom builds a report from specs alone, with the timelines of
// testdata copied in when copies is set.
func buildFrom(t *testing.T, g types.Report, copies map[string]string) *Report {
	t.Helper()
	dir := run{ginkgo: g, copies: copies}.materialise(t)
	r, err := Build(Input{Ginkgo: g, ArtifactsDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *Report) guarantee(label string) *guaranteeResult {
	for _, g := range r.guarantees {
		if g.Label == label {
			return g
		}
	}
	return nil
}

func TestGuaranteeVerdicts(t *testing.T) {
	const d = "StatefulSet rolling update"
	ru := labels("RollingUpdate")
	pass := spec(d, "a", ru, types.SpecStatePassed)
	pass2 := spec(d, "b", ru, types.SpecStatePassed)
	withSkip := spec(d, "b", ru, types.SpecStateSkipped, failure("needs 4 schedulable Ready nodes", 10))
	bare := spec(d, "b", ru, types.SpecStateSkipped)
	failed := spec(d, "b", ru, types.SpecStateFailed, failure("Expected\n    <int>: 1\nto equal\n    <int>: 2", 20))
	interrupted := spec(d, "b", ru, types.SpecStateInterrupted, failure("Interrupted by User", 30))
	interruptedAfterFailure := spec(d, "b", ru, types.SpecStateInterrupted, failure("Interrupted by User", 30), func(s *types.SpecReport) {
		s.AdditionalFailures = []types.AdditionalFailure{{State: types.SpecStateFailed, Failure: types.Failure{Message: "web-2 never became Ready"}}}
	})
	interruptedCleanup := spec(d, "b", ru, types.SpecStateInterrupted, failure("Interrupted by User", 30), func(s *types.SpecReport) {
		s.AdditionalFailures = []types.AdditionalFailure{{State: types.SpecStateInterrupted, Failure: types.Failure{Message: "Interrupted by User"}}}
	})
	other := spec("StatefulSet stable storage", "c", labels("Storage"), types.SpecStatePassed)

	interruptedRun := func(filter string, specs ...types.SpecReport) types.Report {
		g := ginkgoReport(filter, specs...)
		g.SpecialSuiteFailureReasons = []string{"Interrupted by User"}
		return g
	}
	setupFailed := ginkgoReport("", pass, bare)
	setupFailed.SpecReports[0].State = types.SpecStateFailed
	setupFailed.SpecReports[0].Failure.Message = "kind create cluster: exit status 1"
	setupFailed.SpecReports[1].State = types.SpecStateSkipped

	for _, tc := range []struct {
		name   string
		report types.Report
		want   Verdict
		reason string
	}{
		{"all passed", ginkgoReport("", pass, pass2), Verified, "all 2 specs passed"},
		{"skipped with a reason", ginkgoReport("", pass, withSkip), NotVerified, "skipped: needs 4 schedulable Ready nodes"},
		{"filtered out by the label filter", ginkgoReport("Conformance && !RollingUpdate", spec(d, "a", ru, types.SpecStateSkipped)), NotVerified, "filtered out by --label-filter=Conformance && !RollingUpdate"},
		{"no spec in the report", ginkgoReport("", other), NotVerified, "no spec with this label was in the run"},
		{"pending", ginkgoReport("", pass, spec(d, "b", ru, types.SpecStatePending)), NotVerified, "pending"},
		{"interrupted", ginkgoReport("", pass, interrupted), NotVerified, "interrupted: Interrupted by User"},
		{"interrupted after a failure", ginkgoReport("", pass, interruptedAfterFailure), Failed, "failed, then interrupted: web-2 never became Ready"},
		{"interrupted again in cleanup", ginkgoReport("", pass, interruptedCleanup), NotVerified, "interrupted"},
		{"never reached after an interrupt", interruptedRun("", pass, bare), NotVerified, "not run: the run ended early (Interrupted by User)"},
		{"never reached after the suite timeout", func() types.Report {
			g := ginkgoReport("", pass, bare)
			g.SpecialSuiteFailureReasons = []string{"Suite Timeout Elapsed"}
			return g
		}(), NotVerified, "not run: the run ended early (Suite Timeout Elapsed)"},
		{"setup skipped the suite", func() types.Report {
			g := ginkgoReport("", pass, bare)
			g.SpecReports[0].State, g.SpecReports[0].Failure.Message = types.SpecStateSkipped, "no cluster to test"
			return g
		}(), NotVerified, "not run: SynchronizedBeforeSuite skipped the suite: no cluster to test"},
		{"never reached after a failed setup", setupFailed, NotVerified, "not run: SynchronizedBeforeSuite failed: kind create cluster: exit status 1"},
		{"failed", ginkgoReport("", pass, failed), Failed, `1 of 2 specs failed: "StatefulSet rolling update b" failed: Expected <int>: 1`},
		{"panicked", ginkgoReport("", spec(d, "a", ru, types.SpecStatePanicked, failure("runtime error", 1))), Failed, "panicked"},
		{"timed out", ginkgoReport("", spec(d, "a", ru, types.SpecStateTimedout, failure("A spec timeout occurred", 1))), Failed, "timedout: A spec timeout occurred"},
		{"aborted", ginkgoReport("", spec(d, "a", ru, types.SpecStateAborted, failure("AbortSuite", 1))), Failed, "aborted"},
		{"failed outweighs skipped", ginkgoReport("", pass, withSkip, failed), Failed, "1 of 3 specs failed"},
		{"skipped outweighs passed", ginkgoReport("", pass, pass2, withSkip), NotVerified, "1 of 3 specs did not run to the end"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := buildFrom(t, tc.report, nil)
			g := r.guarantee("RollingUpdate")
			if g.Verdict != tc.want || !strings.Contains(g.Reason, tc.reason) {
				t.Errorf("verdict %q, reason %q; want %q with a reason containing %q", g.Verdict, g.Reason, tc.want, tc.reason)
			}
			if r.Overall() == Certified {
				t.Errorf("a run without every guarantee verified was certified")
			}
		})
	}
}

// A spec that passed although its recorded timeline breaks the guarantee
// (the report's own checker finds it) must not verify the guarantee.
func TestViolatingTimelineFailsAPassedSpec(t *testing.T) {
	g := ginkgoReport("", spec(dCreation, itCreation, labels("OrderedCreation"), types.SpecStatePassed, timelineEntry("x")))
	r := buildFrom(t, g, map[string]string{"timelines/x--web.json": "parallel-creation.json"})
	got := r.guarantee("OrderedCreation")
	if got.Verdict != Failed || !strings.Contains(got.Reason, "timeline timelines/x--web.json shows 2 violation(s)") {
		t.Errorf("verdict %q (%s); want failed because of the timeline", got.Verdict, got.Reason)
	}
	// The same timeline under the Parallel label is the expected contrast,
	// not a violation: no checker runs for Parallel.
	g = ginkgoReport("", spec(dParallel, "p", labels("Parallel"), types.SpecStatePassed, timelineEntry("x")))
	r = buildFrom(t, g, map[string]string{"timelines/x--web.json": "parallel-creation.json"})
	if got := r.guarantee("Parallel"); got.Verdict != Verified {
		t.Errorf("Parallel verdict %q (%s); want verified", got.Verdict, got.Reason)
	}
}

func TestOverallVerdict(t *testing.T) {
	all := passingSpecs()
	for _, tc := range []struct {
		name    string
		report  func() types.Report
		copies  map[string]string
		want    Verdict
		reasons string
	}{
		{"every guarantee verified", func() types.Report { return ginkgoReport("", all...) }, passingCopies, Certified, fmt.Sprintf("all %d guarantees verified", len(guarantee.All()))},
		{"one guarantee failed", func() types.Report {
			specs := passingSpecs()
			specs[4].State = types.SpecStateFailed
			return ginkgoReport("", specs...)
		}, passingCopies, Failed, "failed: NetworkIdentity"},
		{"one guarantee without specs", func() types.Report { return ginkgoReport("", all[:len(all)-1]...) }, passingCopies, Incomplete, "not verified: Cluster"},
		{"a timeline the spec recorded is missing", func() types.Report { return ginkgoReport("", all...) }, nil, Incomplete, "problem(s) with the run or its evidence"},
		{"teardown failed after every spec passed", func() types.Report {
			g := ginkgoReport("", all...)
			g.SpecReports = append(g.SpecReports, types.SpecReport{LeafNodeType: types.NodeTypeSynchronizedAfterSuite, State: types.SpecStateFailed,
				Failure: types.Failure{Message: "deleting kind cluster: exit status 1"}})
			return g
		}, passingCopies, Incomplete, "problem(s)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := buildFrom(t, tc.report(), tc.copies)
			if r.Overall() != tc.want || !strings.Contains(strings.Join(r.reasons, "; "), tc.reasons) {
				t.Errorf("overall %q (%v); want %q with %q", r.Overall(), r.reasons, tc.want, tc.reasons)
			}
		})
	}
}

// Ginkgo reports every spec of a dry run as passed: such a run proves
// nothing and must not be certified.
func TestDryRunIsNeverCertified(t *testing.T) {
	g := ginkgoReport("", passingSpecs()...)
	g.SuiteConfig.DryRun = true
	r := buildFrom(t, g, passingCopies)
	if r.Overall() == Certified {
		t.Fatalf("a dry run was certified: %v", r.reasons)
	}
	for _, gr := range r.guarantees {
		if gr.Verdict != NotVerified {
			t.Errorf("%s: %s after a dry run", gr.Label, gr.Verdict)
		}
	}
	if !strings.Contains(strings.Join(r.problems, "\n"), "dry run") {
		t.Errorf("the dry run is not named as a problem: %v", r.problems)
	}
	if r.counts.Passed != len(passingSpecs()) {
		t.Errorf("counts are Ginkgo's: %+v", r.counts)
	}
}
