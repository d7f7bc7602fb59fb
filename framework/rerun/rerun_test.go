package rerun

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/stsconform/stsconform/framework/report"
)

const suite = "StatefulSet conformance"

var start = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

type specOpt func(*types.SpecReport)

func it(container, text string, state types.SpecState, opts ...specOpt) types.SpecReport {
	s := types.SpecReport{
		ContainerHierarchyTexts: []string{container}, ContainerHierarchyLabels: [][]string{{"Conformance"}},
		ContainerHierarchyLocations: []types.CodeLocation{{FileName: "/src/" + container + "_test.go", LineNumber: 10}},
		LeafNodeType:                types.NodeTypeIt, LeafNodeText: text, State: state,
		StartTime: start, EndTime: start.Add(20 * time.Second), RunTime: 20 * time.Second, NumAttempts: 1,
	}
	for _, o := range opts {
		o(&s)
	}
	return s
}

func msg(m string) specOpt { return func(s *types.SpecReport) { s.Failure.Message = m } }
func labels(l ...string) specOpt {
	return func(s *types.SpecReport) { s.ContainerHierarchyLabels = [][]string{l} }
}
func ordered() specOpt { return func(s *types.SpecReport) { s.IsInOrderedContainer = true } }
func entry(name, value string) specOpt {
	return func(s *types.SpecReport) {
		s.ReportEntries = append(s.ReportEntries, types.ReportEntry{Name: name, Value: types.WrapEntryValue(value)})
	}
}

func ginkgoRun(labelFilter string, specs ...types.SpecReport) types.Report {
	setup := types.SpecReport{LeafNodeType: types.NodeTypeSynchronizedBeforeSuite, State: types.SpecStatePassed}
	return types.Report{SuiteDescription: suite, StartTime: start, EndTime: start.Add(5 * time.Minute), RunTime: 5 * time.Minute,
		SuiteConfig: types.SuiteConfig{LabelFilter: labelFilter}, SpecReports: append([]types.SpecReport{setup}, specs...)}
}

func texts(specs []types.SpecReport) []string {
	var out []string
	for _, s := range specs {
		out = append(out, s.FullText())
	}
	slices.Sort(out)
	return out
}

func TestSelect(t *testing.T) {
	g := ginkgoRun("Conformance && !Disruptive",
		it("a", "passed", types.SpecStatePassed),
		it("a", "failed", types.SpecStateFailed, msg("boom")),
		it("a", "timed out", types.SpecStateTimedout, msg("timed out")),
		it("a", "interrupted", types.SpecStateInterrupted, msg("interrupted by user")),
		it("a", "skipped itself", types.SpecStateSkipped, msg("needs 4 schedulable nodes")),
		it("a", "never reached", types.SpecStateSkipped),
		it("a", "filtered out", types.SpecStateSkipped, labels("Conformance", "Disruptive")),
		it("a", "pending", types.SpecStatePending),
		it("zk", "forms a quorum", types.SpecStatePassed, ordered()),
		it("zk", "serves a write", types.SpecStateFailed, ordered(), msg("no leader")),
		it("zk", "after an earlier failure", types.SpecStateSkipped, ordered(), msg("Spec skipped because an earlier spec in an ordered container failed")),
		it("other", "ordered and passed", types.SpecStatePassed, ordered()),
	)
	want := []string{"a failed", "a interrupted", "a never reached", "a skipped itself", "a timed out",
		"zk after an earlier failure", "zk forms a quorum", "zk serves a write"}
	if got := texts(Select(g)); !slices.Equal(got, want) {
		t.Errorf("selected\n%q\nwant\n%q", got, want)
	}
	if got := Select(ginkgoRun("", it("a", "passed", types.SpecStatePassed))); len(got) != 0 {
		t.Errorf("a run that passed selected %q", texts(got))
	}
}

// The focus selects exactly the re-run specs, as Ginkgo matches it: the
// suite's description, a space, the spec's full text.
func TestFocusMatchesExactlyTheSpecs(t *testing.T) {
	specs := []types.SpecReport{it("StatefulSet API", "serves the scale subresource: replicas (read) [x]", types.SpecStateFailed),
		it("ordered creation", "creates pod N+1 only after pod N is Running and Ready", types.SpecStateFailed)}
	re, err := regexp.Compile(Focus(suite, specs))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range specs {
		if !re.MatchString(suite + " " + s.FullText()) {
			t.Errorf("focus %s misses %q", re, s.FullText())
		}
	}
	for _, other := range []string{
		"StatefulSet API serves the scale subresource: replicas (read) [x] and more",
		"creates pod N+1 only after pod N is Running and Ready",
		"X ordered creation creates pod N+1 only after pod N is Running and Ready",
		"ordered creation creates pod N+1 only after pod N is Running and Ready or not",
	} {
		if re.MatchString(suite + " " + other) {
			t.Errorf("focus %s also matches %q", re, other)
		}
	}
}

func TestMerge(t *testing.T) {
	prev := ginkgoRun("", it("a", "passes", types.SpecStatePassed), it("a", "flakes", types.SpecStateFailed, msg("boom")),
		it("a", "fails", types.SpecStateFailed, msg("bad")))
	prev.SpecialSuiteFailureReasons = []string{"Interrupted by User"}
	again := ginkgoRun("", it("a", "passes", types.SpecStateSkipped), it("a", "flakes", types.SpecStatePassed),
		it("a", "fails", types.SpecStateFailed, msg("bad again")))
	again.SpecReports[0].State = types.SpecStatePassed
	again.SuiteSucceeded = false
	m := Merge(prev, again, Select(prev))
	got := map[string]string{}
	for _, s := range m.SpecReports {
		got[s.FullText()] = s.State.String() + ":" + s.Failure.Message
	}
	if got["a passes"] != "passed:" || got["a flakes"] != "passed:" || got["a fails"] != "failed:bad again" {
		t.Errorf("merged specs %v", got)
	}
	if len(m.SpecialSuiteFailureReasons) != 0 || m.RunTime != 10*time.Minute || m.SuiteSucceeded {
		t.Errorf("merged run: reasons %q (want the re-run's, none), run time %s (want both), succeeded %t", m.SpecialSuiteFailureReasons, m.RunTime, m.SuiteSucceeded)
	}
	if n := slices.IndexFunc(m.SpecReports, func(s types.SpecReport) bool { return s.LeafNodeType == types.NodeTypeSynchronizedBeforeSuite }); n < 0 {
		t.Error("the merged report lost the suite's setup node")
	}
}

func writeRun(t *testing.T, dir string, g types.Report, env report.Environment, files map[string]string) {
	t.Helper()
	if err := reporters.GenerateJSONReport(g, filepath.Join(dir, "report.json")); err != nil {
		t.Fatal(err)
	}
	if err := reporters.GenerateJUnitReport(g, filepath.Join(dir, "junit.xml")); err != nil {
		t.Fatal(err)
	}
	if err := env.WriteFile(filepath.Join(dir, report.EnvironmentFile)); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// A run with a spec that fails once, one that always fails and one that
// passes: re-run twice, folded into the same directory.
func TestPrepareAndFold(t *testing.T) {
	dir := t.TempDir()
	first := ginkgoRun("",
		it("storage", "keeps data", types.SpecStatePassed, labels("Storage"), entry(report.EntryTimeline, "/ci/_artifacts/timelines/keeps-data--web.json")),
		it("storage", "flakes", types.SpecStateFailed, labels("Storage"), msg("the claim never bound\nmore"),
			entry(report.EntryDiagnostics, "/ci/_artifacts/diagnostics/flakes"), entry(report.EntryTimeline, "/ci/_artifacts/timelines/flakes--web.json")),
		it("api", "fails", types.SpecStateFailed, labels("API"), msg("403")),
	)
	writeRun(t, dir, first, report.Environment{RunID: "run-1", ServerVersion: "v1.34.3"}, map[string]string{
		"timelines/keeps-data--web.json": `{"namespace":"a","statefulSet":"web"}`,
		"timelines/flakes--web.json":     `{"namespace":"first","statefulSet":"web"}`,
		"diagnostics/flakes/events.txt":  "first attempt",
		"kubeconfig":                     "credentials",
	})
	p, err := Prepare(dir, dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.Attempt != 2 || p.AttemptDir != filepath.Join(dir, "attempts", "2") || !slices.Equal(texts(p.Specs), []string{"api fails", "storage flakes"}) {
		t.Fatalf("plan: attempt %d in %s, specs %q", p.Attempt, p.AttemptDir, texts(p.Specs))
	}
	for _, f := range []string{"report.json", "timelines/flakes--web.json", "diagnostics/flakes/events.txt"} {
		if _, err := os.Stat(filepath.Join(dir, "attempts", "1", f)); err != nil {
			t.Errorf("the first run was not kept whole in attempts/1: %v", err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "attempts", "1", "kubeconfig")); err == nil {
		t.Error("attempts/1 holds a copy of the cluster's credentials")
	}

	// The re-run, as the suite would write it into the attempt directory.
	again := ginkgoRun("",
		it("storage", "keeps data", types.SpecStateSkipped, labels("Storage")),
		it("storage", "flakes", types.SpecStatePassed, labels("Storage"),
			entry(report.EntryDiagnostics, filepath.Join(p.AttemptDir, "diagnostics/flakes")), entry(report.EntryTimeline, filepath.Join(p.AttemptDir, "timelines/flakes--web.json"))),
		it("api", "fails", types.SpecStateFailed, labels("API"), msg("403 again")),
	)
	again.StartTime = start.Add(time.Hour)
	writeRun(t, p.AttemptDir, again, report.Environment{RunID: "run-2", ServerVersion: "v1.34.3"}, map[string]string{
		"timelines/flakes--web.json":    `{"namespace":"again","statefulSet":"web"}`,
		"diagnostics/flakes/events.txt": "second attempt",
	})
	if err := p.Fold(); err != nil {
		t.Fatal(err)
	}
	read := func(rel string) string {
		data, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	if got := read("timelines/flakes--web.json"); !strings.Contains(got, `"again"`) {
		t.Errorf("the top's timeline of the re-run spec is %s; want the re-run's", got)
	}
	if got := read("diagnostics/flakes/events.txt"); got != "second attempt" {
		t.Errorf("the top's diagnostics of the re-run spec: %q; want the re-run's", got)
	}
	if got := read("timelines/keeps-data--web.json"); !strings.Contains(got, `"a"`) {
		t.Errorf("a spec not re-run lost its timeline: %s", got)
	}
	merged, err := ReadGinkgoReport(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range merged.SpecReports {
		if s.FullText() == "storage flakes" {
			for _, e := range s.ReportEntries {
				if v := e.StringRepresentation(); !strings.HasPrefix(v, "timelines/") && !strings.HasPrefix(v, "diagnostics/") {
					t.Errorf("entry %s=%q: want a path at the top of the certification", e.Name, v)
				}
			}
		}
	}
	if !strings.Contains(read("junit.xml"), "403 again") {
		t.Error("junit.xml at the top is not the merged one")
	}
	h, err := report.ReadRerun(dir)
	if err != nil || h == nil {
		t.Fatalf("rerun.json: %v", err)
	}
	if len(h.Attempts) != 2 || h.Attempts[0].RunID != "run-1" || h.Attempts[1].RunID != "run-2" || h.Attempts[1].Dir != "attempts/2" || h.Attempts[1].Specs != 2 {
		t.Errorf("attempts %+v", h.Attempts)
	}
	byText := map[string]report.RerunSpec{}
	for _, s := range h.Specs {
		byText[s.Spec] = s
	}
	if f := byText["storage flakes"]; !f.Flaky || len(f.Attempts) != 2 || f.Attempts[0].Reason != "the claim never bound" || f.Attempts[1].State != "passed" {
		t.Errorf("the spec that failed once: %+v; want flaky, its first failure's first line kept", f)
	}
	if f := byText["api fails"]; f.Flaky || len(f.Attempts) != 2 {
		t.Errorf("the spec that failed twice: %+v", f)
	}

	// The report says it: the flaky pass is in the verdict's reasons and
	// in its guarantee's, and the re-runs are listed.
	r, err := report.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Write(dir); err != nil {
		t.Fatal(err)
	}
	html, md, cert := read(report.HTMLFile), read(report.MarkdownFile), read(report.CertificationFile)
	for _, want := range []string{`id="rerun"`, `data-flaky="true"`, "attempts/2/report.html", "the claim never bound"} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if !strings.Contains(md, "## Re-runs") || !strings.Contains(md, "**flaky**") || !strings.Contains(md, "passed only when re-run (flaky)") {
		t.Errorf("report.md does not show the re-runs and the flaky spec:\n%s", md)
	}
	if !strings.Contains(cert, `"flaky": true`) {
		t.Error("certification.json does not carry the history")
	}

	// Once more: only the spec that still fails is re-run, as attempt 3.
	p, err = Prepare(dir, dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.Attempt != 3 || !slices.Equal(texts(p.Specs), []string{"api fails"}) {
		t.Fatalf("second re-run: attempt %d, specs %q", p.Attempt, texts(p.Specs))
	}
	third := ginkgoRun("", it("api", "fails", types.SpecStatePassed, labels("API")))
	writeRun(t, p.AttemptDir, third, report.Environment{RunID: "run-3"}, nil)
	if err := p.Fold(); err != nil {
		t.Fatal(err)
	}
	h, _ = report.ReadRerun(dir)
	if len(h.Attempts) != 3 {
		t.Fatalf("attempts %+v", h.Attempts)
	}
	for _, s := range h.Specs {
		if s.Spec == "api fails" && (!s.Flaky || len(s.Attempts) != 3) {
			t.Errorf("api fails after three attempts: %+v", s)
		}
	}
	if p, err := Prepare(dir, dir); err != nil || len(p.Specs) != 0 {
		t.Errorf("after every spec passed: %v, specs %q; want nothing to re-run", err, texts(p.Specs))
	}
}

func TestPrepareIntoAnotherDirectory(t *testing.T) {
	from := t.TempDir()
	writeRun(t, from, ginkgoRun("", it("a", "fails", types.SpecStateFailed)), report.Environment{RunID: "r"}, nil)
	to := filepath.Join(t.TempDir(), "merged")
	if _, err := Prepare(from, to); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(to, "attempts", "1", "report.json")); err != nil {
		t.Errorf("the merged directory has no copy of the first run: %v", err)
	}
	if _, err := os.Stat(filepath.Join(from, "attempts")); err == nil {
		t.Error("the first run's directory was changed")
	}
	if _, err := Prepare(from, to); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("into a directory that is not empty: %v", err)
	}
	if _, err := Prepare(from, filepath.Join(from, "inside")); err == nil || !strings.Contains(err.Error(), "inside") {
		t.Errorf("into a directory inside the run's: %v", err)
	}
}
