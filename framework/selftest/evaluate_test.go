package selftest

import (
	"strings"
	"testing"
	"time"

	"github.com/stsconform/stsconform/framework/report"
)

// A run on the no-statefulset-controller cluster that the suite got right.
func detectedStalledController() Run {
	stalled := "the StatefulSet controller never observed ordered-creation-x1/web (observedGeneration 0 of 1 after 30s): is kube-controller-manager running with the statefulset controller?"
	var specs []Spec
	for i, l := range []string{"OrderedCreation", "OrderedTeardown", "OrderedTeardown", "OrderedTeardown", "NetworkIdentity", "NetworkIdentity",
		"Storage", "Storage", "RollingUpdate", "RollingUpdate", "RollingUpdate", "Parallel"} {
		specs = append(specs, Spec{Text: "StatefulSet spec " + string(rune('a'+i)), Labels: []string{"Conformance", l}, State: "failed", FailedAfter: 31 * time.Second, FirstLine: stalled})
	}
	specs = append(specs,
		Spec{Text: "Test cluster binds and writes a claim", Labels: []string{"Cluster"}, State: "failed", FailedAfter: 32 * time.Second, FirstLine: stalled},
		Spec{Text: "Test cluster resolves pod.service names", Labels: []string{"Cluster", "DNS"}, State: "passed"},
		Spec{Text: "ZooKeeper ensemble forms a quorum", Labels: []string{"Conformance", "Ensemble"}, State: "failed", FailedAfter: 33 * time.Second, FirstLine: stalled},
		Spec{Text: "ZooKeeper ensemble replicates a write", Labels: []string{"Conformance", "Ensemble"}, State: "skipped"},
	)
	verdicts := map[string]report.Verdict{"PDB": report.NotVerified, "NodeFailure": report.NotVerified}
	for _, l := range []string{"OrderedCreation", "OrderedTeardown", "NetworkIdentity", "Storage", "RollingUpdate", "Parallel", "Ensemble", "Cluster"} {
		verdicts[l] = report.Failed
	}
	return Run{Specs: specs, Verdicts: verdicts}
}

func breakage(t *testing.T, name string) Breakage {
	t.Helper()
	for _, b := range Breakages() {
		if b.Name == name {
			return b
		}
	}
	t.Fatalf("no breakage %q", name)
	return Breakage{}
}

func TestEvaluateDetected(t *testing.T) {
	run := detectedStalledController()
	// Left out by the breakage's label filter: Ginkgo reports it skipped.
	run.Specs = append(run.Specs, Spec{Text: "StatefulSet ordered creation scales from 3 to 10", Labels: []string{"Conformance", "OrderedCreation", "Slow"}, State: "skipped"})
	res := Evaluate(breakage(t, "no-statefulset-controller"), run)
	if !res.Detected || len(res.Problems) > 0 {
		t.Fatalf("want detected, got problems:\n%s", strings.Join(res.Problems, "\n"))
	}
	if res.Specs[0].State != "failed" || res.Specs[len(res.Specs)-1].State == "failed" {
		t.Errorf("failed specs must come first: %+v", res.Specs)
	}
}

// Each case breaks one thing in a correct run; Evaluate must refuse it
// with a problem that names what went wrong.
func TestEvaluateRefuses(t *testing.T) {
	cases := []struct {
		name   string
		change func(*Run)
		want   string
	}{
		{"a spec that should have failed passed", func(r *Run) { r.Specs[0].State = "passed"; r.Specs[0].FirstLine = "" },
			`missed: "StatefulSet spec a" passed, want failed`},
		{"a spec failed for the wrong reason", func(r *Run) {
			r.Specs[6].FirstLine = "StatefulSet storage-x/web not rolled out: 1 of 3 pods exist; storage: web-0 Pending"
		}, `wrong reason: "StatefulSet spec g" failed with "StatefulSet storage-x/web not rolled out`},
		{"a spec failed after its whole budget", func(r *Run) { r.Specs[4].FailedAfter = 4 * time.Minute }, `too slow: "StatefulSet spec e" failed after 4m0s, want within 45s`},
		{"a spec timed out instead of failing", func(r *Run) { r.Specs[2].State = "timedout"; r.Specs[2].FirstLine = "A SpecTimeout occurred" },
			`missed: "StatefulSet spec c" timedout, want failed`},
		{"specs filtered out of the run", func(r *Run) { r.Specs = r.Specs[3:] }, "missed: 9 specs labelled OrderedCreation || OrderedTeardown ||"},
		{"a later spec of the Ordered container ran", func(r *Run) { r.Specs[15].State = "passed" },
			`missed: "ZooKeeper ensemble replicates a write" passed, want skipped after the first spec of its Ordered container failed`},
		{"the Ordered container's first spec passed", func(r *Run) { r.Specs[14].State = "passed"; r.Specs[14].FirstLine = "" },
			`missed: "ZooKeeper ensemble forms a quorum" passed, want failed`},
		{"a guarantee the breakage violates reported verified", func(r *Run) { r.Verdicts["Storage"] = report.Verified }, "guarantee Storage is verified, want failed"},
		{"a guarantee missing from the report", func(r *Run) { delete(r.Verdicts, "Ensemble") }, "guarantee Ensemble has no verdict"},
		{"the control failed", func(r *Run) { r.Specs[13].State = "failed"; r.Specs[13].FirstLine = "DNS: mesh-1.mesh ..." },
			`control "Test cluster resolves pod.service names" failed`},
		{"the suite's setup failed", func(r *Run) {
			r.Setup = "SynchronizedBeforeSuite failed: image web-v1 cannot be pulled"
			for i := range r.Specs {
				r.Specs[i].State = "skipped"
			}
		}, "the suite's setup failed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			run := detectedStalledController()
			c.change(&run)
			res := Evaluate(breakage(t, "no-statefulset-controller"), run)
			if res.Detected {
				t.Fatal("judged detected")
			}
			all := strings.Join(res.Problems, "\n")
			if !strings.Contains(all, c.want) {
				t.Errorf("problems do not name %q:\n%s", c.want, all)
			}
		})
	}
}

// The expected first lines are the messages the suite's helpers build:
// these pin them against the framework's own wording.
func TestFirstLinesMatchTheSuitesMessages(t *testing.T) {
	cases := []struct {
		breakage, line string
	}{
		{"no-statefulset-controller", "the StatefulSet controller never observed scale-down-abc12/web (observedGeneration 0 of 1 after 30s): is kube-controller-manager running with the statefulset controller?"},
		{"parallel-mutation", "the cluster changed StatefulSet ordered-creation-x2x/web on admission: spec.podManagementPolicy OrderedReady -> Parallel"},
		{"partition-reset", "the cluster changed StatefulSet partition-qfvw9/web on admission: spec.updateStrategy.rollingUpdate.partition 4 -> 0"},
		{"partition-reset", "the cluster changed StatefulSet partition-delete-x2x/web on admission: spec.updateStrategy.rollingUpdate.partition 1 -> 0"},
		{"claim-extra-owner", "claim retention: claim data-web-0 has owner ClusterRole/stsconform-selftest-claim-owner uid=ff326fb0, which neither StatefulSet web nor the spec gave it: the garbage collector keeps the claim while that owner exists (and 2 more violation(s))"},
		{"dns-no-cluster-domain", `DNS: web-0.web from identity-q/dns-probe: no answer within 1m30s: name not found: "web-0.web" not found`},
	}
	for _, c := range cases {
		b := breakage(t, c.breakage)
		for _, r := range b.MustFail {
			if !r.FirstLine.MatchString(c.line) {
				t.Errorf("%s: %s does not match %q", c.breakage, r.FirstLine, c.line)
			}
		}
	}
}

func TestSummaryFailsOnOneMissedBreakage(t *testing.T) {
	ok := Outcome{Result: Result{Breakage: "a", Detected: true}}
	missed := Outcome{Result: Result{Breakage: "b", Problems: []string{"missed: x"}}}
	if s := NewSummary([]Outcome{ok, missed}, time.Minute); s.Passed {
		t.Error("a summary with a missed breakage passed")
	}
	if s := NewSummary(nil, time.Minute); s.Passed {
		t.Error("an empty summary passed")
	}
	s := NewSummary([]Outcome{ok}, time.Minute)
	if !s.Passed || !strings.Contains(s.Markdown(), "PASSED") {
		t.Errorf("want passed:\n%s", s.Markdown())
	}
}
