package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/timeline"
)

// runVerify runs `stsconform verify args...` and returns what it printed.
func runVerify(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCommand()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&bytes.Buffer{})
	root.SetArgs(append([]string{"verify"}, args...))
	err := root.Execute()
	return out.String(), err
}

// The testdata timelines were recorded by the suite on a real kind cluster
// before checks were recorded (schema 1): an OrderedReady creation, a
// Parallel creation, a cascading deletion and two scale-downs. They are
// judged with the flags an auditor gives.
func TestVerifyRecordedTimelines(t *testing.T) {
	out, err := runVerify(t, "--guarantee", "ordered-creation", "testdata/ordered-creation.json")
	if err != nil {
		t.Fatalf("the OrderedReady timeline must hold: %v", err)
	}
	if !strings.Contains(out, "held") {
		t.Fatalf("no verdict printed: %q", out)
	}
	_, err = runVerify(t, "--guarantee", "ordered-creation", "testdata/parallel-creation.json")
	if err == nil || !strings.HasPrefix(err.Error(), "ordered creation: web-2 (ordinal 2) was created while predecessor(s) web-0, web-1") ||
		!strings.Contains(err.Error(), "web-1 (ordinal 1) was created while predecessor(s) web-0 were not Running and Ready") {
		t.Fatalf("the Parallel timeline must violate ordered creation, got %v", err)
	}
	// Kubernetes documents no order for StatefulSet deletion; this
	// recording shows the pods going at once, which scale-down forbids.
	_, err = runVerify(t, "--guarantee", "ordered-termination", "--from", "3", "--to", "0", "testdata/cascading-delete.json")
	if err == nil || !strings.Contains(err.Error(), "began terminating while successor(s)") {
		t.Fatalf("the cascading deletion must not pass as ordered termination, got %v", err)
	}
}

// A schema 1 timeline records no checks: without --guarantee there is
// nothing to judge, which is said, and is not a pass.
func TestVerifyWithoutFlagsOnAnOldTimeline(t *testing.T) {
	out, err := runVerify(t, "testdata/ordered-creation.json")
	if err == nil || !strings.HasPrefix(err.Error(), "nothing judged: the 1 timeline(s) record no check") {
		t.Fatalf("verify of a schema 1 timeline without flags = %v", err)
	}
	if !strings.Contains(out, "records no checks: schema 1, written before stsconform recorded them") {
		t.Errorf("output does not say why: %q", out)
	}
}

func TestVerifyRejectsBadInput(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--guarantee", "nonsense", "testdata/ordered-creation.json"}, "--guarantee must be one of [ordered-creation held-blocks"},
		{[]string{"testdata/missing.json"}, "reading timeline: stat testdata/missing.json"},
		{[]string{"--guarantee", "ordered-creation", "--partition", "1", "testdata/ordered-creation.json"}, "--partition does not apply to ordered-creation (its input: from, to)"},
		{[]string{"--from", "3", "testdata/ordered-creation.json"}, "--from needs --guarantee"},
		{[]string{"--since", "3", "testdata/ordered-creation.json"}, "--since needs --guarantee"},
		{[]string{t.TempDir()}, "no timeline files (*.json) in"},
	} {
		if _, err := runVerify(t, c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("verify %v = %v, want %q", c.args, err, c.want)
		}
	}
	if _, err := runVerify(t); err == nil {
		t.Error("verify without a file accepted")
	}
}

// Each command has its own flags: a flag of another command is refused.
func TestCommandsHaveTheirOwnFlags(t *testing.T) {
	for _, args := range [][]string{
		{"verify", "--guarantee", "ordered-creation", "--image", "x", "testdata/ordered-creation.json"},
		{"cluster-down", "--guarantee", "ordered-creation"},
	} {
		root := newRootCommand()
		root.SetArgs(args)
		root.SetOut(&bytes.Buffer{})
		root.SetErr(&bytes.Buffer{})
		if err := root.Execute(); err == nil {
			t.Errorf("stsconform %v accepted", args)
		}
	}
}

// Completion offers the declared checkers.
func TestVerifyCompletesCheckers(t *testing.T) {
	root := newRootCommand()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetArgs([]string{"__complete", "verify", "--guarantee", ""})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	for _, name := range guarantee.CheckerNames() {
		if !strings.Contains(out.String(), name+"\n") {
			t.Errorf("completion lacks %s:\n%s", name, out.String())
		}
	}
}

// An empty recording (a recorder pointed at the wrong StatefulSet, or
// stopped before anything happened) must fail every guarantee, through the
// command and its exit status, naming what is missing.
func TestVerifyRefusesAnEmptyTimeline(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.json")
	if err := (timeline.Timeline{StatefulSet: "web", Namespace: "ns", Events: []timeline.Event{}}).WriteFile(empty); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--guarantee", "ordered-creation"}, "ordered creation: evidence lacks pods of web: the timeline holds 0 events"},
		{[]string{"--guarantee", "ordered-creation", "--replicas", "3"}, "ordered creation: evidence lacks pods web-0..web-2: the timeline holds 0 events for them"},
		{[]string{"--guarantee", "ordered-termination", "--from", "3", "--to", "0"}, "ordered termination: evidence lacks pods web-0..web-2"},
		{[]string{"--guarantee", "rolling-update", "--replicas", "3", "--old", "a", "--new", "b"}, "rolling update: evidence lacks pods web-0..web-2"},
		{[]string{"--guarantee", "parallel-termination", "--pod", "web-0", "--from", "3", "--to", "1"}, "parallel pod management: evidence lacks pods web-0..web-2"},
		{[]string{"--guarantee", "scale-down-halt", "--pod", "web-0", "--from", "3", "--to", "1", "--observed", "1", "--release", "1"}, "ordered termination: evidence lacks pods web-0..web-2"},
		{[]string{"--guarantee", "failed-replaced", "--pod", "web-0"}, "failed pod replacement: evidence lacks pod web-0"},
	}
	for _, c := range cases {
		out, err := runVerify(t, append(c.args, empty)...)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("verify %v on an empty timeline = %v, want an error starting %q", c.args, err, c.want)
		}
		if strings.Contains(out, "held") {
			t.Errorf("verify %v printed a verdict: %q", c.args, out)
		}
	}
}

func TestVerifyOrderedCreationRange(t *testing.T) {
	out, err := runVerify(t, "--guarantee", "ordered-creation", "--replicas", "3", "testdata/ordered-creation.json")
	if err != nil {
		t.Fatalf("--replicas 3: %v", err)
	}
	if !strings.Contains(out, "creation from 0 to 3 replicas") {
		t.Errorf("verdict does not say what was judged: %q", out)
	}
	_, err = runVerify(t, "--guarantee", "ordered-creation", "--to", "4", "testdata/ordered-creation.json")
	if err == nil || !strings.HasPrefix(err.Error(), "ordered creation: evidence lacks pods web-3") {
		t.Errorf("--to 4 on a 3-pod recording = %v", err)
	}
	out, err = runVerify(t, "--guarantee", "ordered-creation", "testdata/ordered-creation.json")
	if err != nil || !strings.Contains(out, "inferred") {
		t.Errorf("without --to the verdict must say the range was inferred: %v %q", err, out)
	}
}

// Recorded on a real kind cluster by the scale-down halt spec (web-0 held
// unready, scaled 3 to 1, the controller's observation and the release all
// noted after #13) and the Parallel spec (web-0 held unready from its
// start, scaled 3 to 1 after #11).
func TestVerifyRecordedScaleDowns(t *testing.T) {
	halt := []string{"--guarantee", "scale-down-halt", "--pod", "web-0", "--from", "3", "--to", "1", "--since", "13", "--observed", "13", "--release", "13"}
	if _, err := runVerify(t, append(halt, "testdata/scale-down-halt.json")...); err != nil {
		t.Fatalf("the halted scale-down must hold: %v", err)
	}
	burst := []string{"--guarantee", "parallel-termination", "--pod", "web-0", "--from", "3", "--to", "1"}
	if _, err := runVerify(t, append(burst, "--since", "11", "testdata/parallel-scale-down.json")...); err != nil {
		t.Fatalf("the Parallel scale-down must hold: %v", err)
	}
	_, err := runVerify(t, "--guarantee", "ordered-termination", "--from", "3", "--to", "1", "--since", "11", "testdata/parallel-scale-down.json")
	if err == nil || !strings.HasPrefix(err.Error(), "ordered termination: web-2 (ordinal 2) began terminating while web-0, kept by the scale-down to 1, was not Running and Ready") {
		t.Fatalf("the Parallel scale-down must violate the OrderedReady halt, got %v", err)
	}
	// Each recording lacks what the other checker needs: no controller's
	// observation of a halted scale-down (the Parallel spec notes none);
	// web-0 Ready before the pods went.
	noObservation := []string{"--guarantee", "scale-down-halt", "--pod", "web-0", "--from", "3", "--to", "1", "--since", "11", "--release", "19"}
	if _, err := runVerify(t, append(noObservation, "testdata/parallel-scale-down.json")...); err == nil || !strings.HasPrefix(err.Error(), "ordered termination: evidence lacks the controller's view of the scale-down") {
		t.Fatalf("a scale-down with no halt must not pass as one, got %v", err)
	}
	if _, err := runVerify(t, append(burst, "--since", "13", "testdata/scale-down-halt.json")...); err == nil || !strings.Contains(err.Error(), "evidence lacks a hold of web-0: web-0 became Ready during the scale-down") {
		t.Fatalf("a scale-down that waited for web-0 must not pass as a Parallel one, got %v", err)
	}
}

// asRecorded writes a testdata recording as the suite writes it now: schema
// 2, with the checks its spec made, each on the window it judged.
func asRecorded(t *testing.T, dir, src string, checks func(timeline.Timeline) []recordedCheck) string {
	t.Helper()
	tl, err := timeline.ReadFile(filepath.Join("testdata", src))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range checks(tl) {
		rc, err := guarantee.Record(c.window, c.check, c.expect)
		if err != nil {
			t.Fatal(err)
		}
		tl.Checks = append(tl.Checks, rc)
	}
	p := filepath.Join(dir, src)
	if err := tl.WriteFile(p); err != nil {
		t.Fatal(err)
	}
	return p
}

type recordedCheck struct {
	window timeline.Timeline
	check  guarantee.Check
	expect string
}

// recordedRun is the testdata as the specs that recorded it would write it
// now: the checks are the ones those specs make.
func recordedRun(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "timelines")
	asRecorded(t, dir, "ordered-creation.json", func(tl timeline.Timeline) []recordedCheck {
		return []recordedCheck{
			{tl, guarantee.HeldBlocksInput{Pod: "web-1", Successor: "web-2", Release: 7}, ""},
			{tl, guarantee.OrderedCreationInput{From: 0, To: 3}, ""},
		}
	})
	asRecorded(t, dir, "parallel-scale-down.json", func(tl timeline.Timeline) []recordedCheck {
		creation := tl.Through(11)
		return []recordedCheck{
			{creation, guarantee.OrderedCreationInput{From: 0, To: 3}, timeline.Violated},
			{tl.Through(19).Since(11), guarantee.ParallelTerminationInput{Pod: "web-0", From: 3, To: 1}, ""},
			{tl.Through(19).Since(11), guarantee.OrderedTerminationInput{From: 3, To: 1}, timeline.Violated},
		}
	})
	asRecorded(t, dir, "scale-down-halt.json", func(tl timeline.Timeline) []recordedCheck {
		return []recordedCheck{
			{tl.Since(13), guarantee.ScaleDownHaltInput{Pod: "web-0", From: 3, To: 1, Observed: 13, Release: 13}, ""},
			{tl.Since(13), guarantee.OrderedTerminationInput{From: 3, To: 1}, ""},
		}
	})
	asRecorded(t, dir, "cascading-delete.json", func(timeline.Timeline) []recordedCheck { return nil })
	return filepath.Dir(dir)
}

// Without flags verify judges every check a run recorded: a whole
// artifacts directory, each check on its window, contrast cases included.
func TestVerifyJudgesEveryRecordedCheck(t *testing.T) {
	run := recordedRun(t)
	out, err := runVerify(t, run)
	if err != nil {
		t.Fatalf("verify of the recorded run: %v\n%s", err, out)
	}
	for _, want := range []string{
		"ordered-creation-s6sp6/web: held-blocks held: web-2 not created while web-1 was held unready, up to its release after #7, 12 events",
		"ordered-creation-s6sp6/web: ordered-creation held: creation from 0 to 3 replicas, 12 events",
		"parallel-zqltn/web: ordered-creation broke, as this contrast case must: creation from 0 to 3 replicas (events through #11), 11 events",
		"parallel-zqltn/web: parallel-termination held: Parallel scale-down from 3 to 1 replicas with web-0 unready (events after #11 through #19)",
		"parallel-zqltn/web: ordered-termination broke, as this contrast case must",
		"scale-down-halt-n8h7g/web: scale-down-halt held: scale-down from 3 to 1 replicas halted behind web-0, up to its release after #13 (events after #13)",
		"scale-down-halt-n8h7g/web: ordered-termination held",
		"cascade-delete-sb2pd/web: " + filepath.Join(run, "timelines", "cascading-delete.json") + " records no checks: its spec judged none of it",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// One file, and the flags as overrides of its recorded input.
	one := filepath.Join(run, "timelines", "ordered-creation.json")
	if out, err := runVerify(t, one); err != nil || strings.Count(out, " held: ") != 2 {
		t.Errorf("verify %s = %v\n%s", one, err, out)
	}
	_, err = runVerify(t, "--guarantee", "held-blocks", "--release", "3", one)
	if err == nil || !strings.HasPrefix(err.Error(), "ordered creation: evidence lacks a hold of web-1: web-1 was never Running before its release after #3") {
		t.Errorf("an overridden release = %v", err)
	}
	// --set reaches any field, by its JSON name, without a flag of its own.
	_, err = runVerify(t, "--guarantee", "held-blocks", "--set", "release=3", one)
	if err == nil || !strings.Contains(err.Error(), "web-1 was never Running before its release after #3") {
		t.Errorf("--set release=3 = %v", err)
	}
	if _, err := runVerify(t, "--guarantee", "held-blocks", "--set", "successor=web-1", one); err == nil || !strings.Contains(err.Error(), "web-1 must be a successor of web-1") {
		t.Errorf("--set successor=web-1 (a string) = %v", err)
	}
	if _, err := runVerify(t, "--guarantee", "held-blocks", "--set", "partition=1", one); err == nil || !strings.Contains(err.Error(), `--set "partition=1": want FIELD=VALUE with a field of held-blocks's input (pod, successor, release)`) {
		t.Errorf("--set of a field the input lacks = %v", err)
	}
	if _, err := runVerify(t, "--set", "release=3", one); err == nil || !strings.Contains(err.Error(), "--set needs --guarantee") {
		t.Errorf("--set without --guarantee = %v", err)
	}
}

// A recording edited after the fact (here web-1's Ready moved after web-2's
// creation) fails the check its spec recorded, with the rule first, and
// the other timelines of the run are still judged and listed.
func TestVerifyFailsAnEditedRecording(t *testing.T) {
	run := recordedRun(t)
	p := filepath.Join(run, "timelines", "ordered-creation.json")
	tl, err := timeline.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	ready, created := tl.Events[7], tl.Events[8]
	ready.Seq, created.Seq = created.Seq, ready.Seq
	tl.Events[7], tl.Events[8] = created, ready
	if err := tl.WriteFile(p); err != nil {
		t.Fatal(err)
	}
	out, err := runVerify(t, run)
	if err == nil || !strings.HasPrefix(err.Error(), "ordered creation: web-2 (ordinal 2) was created while predecessor(s) web-1 were not Running and Ready") ||
		!strings.Contains(err.Error(), "judged: ordered-creation-s6sp6/web, creation from 0 to 3 replicas, 12 events of "+p) {
		t.Fatalf("verify of an edited recording = %v", err)
	}
	if !strings.Contains(out, "scale-down-halt held") || !strings.Contains(out, "held-blocks held") {
		t.Errorf("the checks that still hold are not listed:\n%s", out)
	}

	data, _ := os.ReadFile(p)
	if err := os.WriteFile(p, bytes.Replace(data, []byte(`"checker": "held-blocks"`), []byte(`"checker": "held-block"`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = runVerify(t, run)
	if err == nil || !strings.Contains(err.Error(), "1 more check(s) or file(s) failed") || !strings.Contains(err.Error(), `"held-block", which is not one of this stsconform's checkers`) {
		t.Errorf("a second failure is not listed: %v", err)
	}
}
