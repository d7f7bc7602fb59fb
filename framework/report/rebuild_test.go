package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stsconform/stsconform/framework/timeline"
)

// loadWith materialises the passing run, lets change spoil its artifacts
// and loads it.
func loadWith(t *testing.T, change func(dir string)) *Report {
	t.Helper()
	dir := passingRun().materialise(t)
	change(dir)
	r, err := Load(dir)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return r
}

func writeArtifact(t *testing.T, dir, rel, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, rel), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func assertProblem(t *testing.T, r *Report, want string) {
	t.Helper()
	if r.Overall() != Incomplete || !strings.Contains(strings.Join(r.problems, "\n"), want) {
		t.Errorf("overall %q, problems %q; want incomplete with %q", r.Overall(), r.problems, want)
	}
}

// A guarantee whose timeline cannot be read has no evidence: it is not
// verified, with the reason, although its spec passed.
func TestUnreadableTimelineLeavesItsGuaranteeNotVerified(t *testing.T) {
	r := loadWith(t, func(dir string) {
		writeArtifact(t, dir, "timelines/ordered-creation--web.json", `{"namespace": "x", "events": [`)
	})
	g := r.guarantee("OrderedCreation")
	if g.Verdict != NotVerified || !strings.Contains(g.Reason, "timeline timelines/ordered-creation--web.json is unreadable (") {
		t.Errorf("OrderedCreation %s: %s", g.Verdict, g.Reason)
	}
	all := strings.Join(r.problems, "\n")
	if !strings.Contains(all, "timeline timelines/ordered-creation--web.json unreadable") || strings.Contains(all, "not in the artifacts") {
		t.Errorf("an unreadable file must be named unreadable, not missing: %q", r.problems)
	}
	if r.Overall() == Certified {
		t.Error("certified on unreadable evidence")
	}
	// The other guarantees keep their verdicts.
	if g := r.guarantee("Parallel"); g.Verdict != Verified {
		t.Errorf("Parallel %s: %s", g.Verdict, g.Reason)
	}
}

func TestMissingTimelineLeavesItsGuaranteeNotVerified(t *testing.T) {
	r := loadWith(t, func(dir string) {
		if err := os.Remove(filepath.Join(dir, "timelines/rolling--web.json")); err != nil {
			t.Fatal(err)
		}
	})
	g := r.guarantee("RollingUpdate")
	if g.Verdict != NotVerified || !strings.Contains(g.Reason, "the evidence of 1 of 1 specs cannot be judged") ||
		!strings.Contains(g.Reason, "timeline timelines/rolling--web.json is not in the artifacts") {
		t.Errorf("RollingUpdate %s: %s", g.Verdict, g.Reason)
	}
	assertProblem(t, r, "recorded timeline timelines/rolling--web.json, which is not in the artifacts")
}

// environment.json missing or corrupt: the same verdict, each with its
// reason; neither stops the rebuild.
func TestCorruptEnvironmentIsAProblemNotAnError(t *testing.T) {
	r := loadWith(t, func(dir string) {
		writeArtifact(t, dir, EnvironmentFile, `{"schemaVersion": 1, "serverVersion": "v1.3`)
	})
	assertProblem(t, r, "environment.json is unreadable (decoding environment")
	if r.env.ServerVersion != "" {
		t.Errorf("a corrupt environment half-read: %+v", r.env)
	}
	r = loadWith(t, func(dir string) { writeArtifact(t, dir, EnvironmentFile, `{"schemaVersion": 9}`) })
	assertProblem(t, r, "this build reads up to 1): the environment is unknown")
}

// Ginkgo's JUnit report must parse to its end, as report.json must: CI
// reads the run from it.
func TestLoadNeedsAWholeJUnitReport(t *testing.T) {
	whole := `<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="1" disabled="0" errors="0" failures="0" time="1">
  <testsuite name="StatefulSet conformance" tests="1"><testcase name="a" status="passed"></testcase></testsuite>
</testsuites>
<!-- written by Ginkgo -->
`
	if r := loadWith(t, func(dir string) { writeArtifact(t, dir, "junit.xml", whole) }); r.Overall() != Certified {
		t.Fatalf("a whole JUnit report: %s %q", r.Overall(), r.problems)
	}
	for name, tc := range map[string]struct{ file, content, want string }{
		"truncated":       {"junit.xml", whole[:len(whole)/2], "Ginkgo's JUnit report junit.xml is unreadable: XML syntax error"},
		"empty":           {"junit.xml", "", "junit.xml is unreadable: EOF"},
		"not JUnit":       {"junit.xml", "<html></html>", "expected element type <testsuites> but have <html>"},
		"trailing":        {"junit.xml", whole + "<testsuites/>", "content after </testsuites>"},
		"in-cluster name": {"junit_01.xml", whole[:40], "junit_01.xml is unreadable"},
	} {
		t.Run(name, func(t *testing.T) {
			assertProblem(t, loadWith(t, func(dir string) { writeArtifact(t, dir, tc.file, tc.content) }), tc.want)
		})
	}
	r := loadWith(t, func(dir string) {
		if err := os.Remove(filepath.Join(dir, "junit.xml")); err != nil {
			t.Fatal(err)
		}
	})
	assertProblem(t, r, "no Ginkgo JUnit report (junit.xml) is in the artifacts")
	// What --strict prints: the reasons and the first problem, one line.
	if want := "1 problem(s) with the run or its evidence; first problem: no Ginkgo JUnit report (junit.xml) is in the artifacts"; !strings.HasPrefix(r.Why(), want) {
		t.Errorf("Why = %q; want %q", r.Why(), want)
	}
}

// A timeline the recorder cannot have written (here a seq given twice) is
// corrupt evidence: its guarantee is not verified, the reason names the
// file and the first bad event, and it is neither a pass nor a violation
// of the controller.
func TestInconsistentTimelineLeavesItsGuaranteeNotVerified(t *testing.T) {
	const rel = "timelines/ordered-creation--web.json"
	r := loadWith(t, func(dir string) {
		data, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		edited := strings.Replace(string(data), `"seq": 3,`, `"seq": 2,`, 1)
		if edited == string(data) {
			t.Fatal("the fixture has no seq 3 to edit")
		}
		writeArtifact(t, dir, rel, edited)
	})
	assertInconsistent(t, r, "the evidence is inconsistent: "+rel+": event #2 (seq 2): seq 2 is also event #1's")
	if r.Overall() != Incomplete {
		t.Errorf("overall %s on corrupt evidence, want incomplete", r.Overall())
	}
	for _, ev := range r.orphans {
		if ev.Path == rel {
			t.Errorf("the inconsistent timeline was judged: %+v", ev)
		}
	}
}

// A recorded check whose input the recording cannot bear (to -1: an
// edited file) is corrupt evidence too, not a violation of the
// controller; the file's other check is still judged.
func TestInconsistentRecordedCheckLeavesItsGuaranteeNotVerified(t *testing.T) {
	const rel = "timelines/ordered-creation--web.json"
	r := loadWith(t, func(dir string) {
		path := filepath.Join(dir, rel)
		tl, err := timeline.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		tl.SchemaVersion = timeline.SchemaVersion
		tl.Checks = []timeline.Check{
			{Checker: "ordered-creation", Through: tl.LastSeq(), Input: json.RawMessage(`{"from":0,"to":3}`)},
			{Checker: "ordered-creation", Through: tl.LastSeq(), Input: json.RawMessage(`{"from":0,"to":-1}`)},
		}
		if err := tl.WriteFile(path); err != nil {
			t.Fatal(err)
		}
	})
	g := assertInconsistent(t, r, "the evidence is inconsistent: "+rel+": the recorded check by ordered-creation: ordered-creation's to is -1: it cannot be negative")
	for _, ev := range g.Timelines {
		if len(ev.Violations) > 0 {
			t.Errorf("corrupt evidence became violations: %+v", ev.Violations)
		}
	}
}

// assertInconsistent checks that OrderedCreation is not verified for the
// corrupt evidence want names, and that the run's problems say so.
func assertInconsistent(t *testing.T, r *Report, want string) *guaranteeResult {
	t.Helper()
	g := r.guarantee("OrderedCreation")
	if g.Verdict != NotVerified || !strings.HasPrefix(g.Reason, want) {
		t.Errorf("OrderedCreation %s: %s\nwant not verified: %s", g.Verdict, g.Reason, want)
	}
	if !strings.Contains(strings.Join(r.problems, "\n"), want) {
		t.Errorf("problems %q lack %q", r.problems, want)
	}
	return g
}
