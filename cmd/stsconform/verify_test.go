package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stsconform/stsconform/framework/timeline"
)

// The testdata timelines were recorded by the suite on a real kind cluster:
// an OrderedReady creation, a Parallel creation and a cascading deletion.
func TestVerifyRecordedTimelines(t *testing.T) {
	var out bytes.Buffer
	if err := verify(&out, verifyFlags{guarantee: "ordered-creation"}, []string{"testdata/ordered-creation.json"}); err != nil {
		t.Fatalf("the OrderedReady timeline must hold: %v", err)
	}
	if !strings.Contains(out.String(), "held") {
		t.Fatalf("no verdict printed: %q", out.String())
	}
	err := verify(&out, verifyFlags{guarantee: "ordered-creation"}, []string{"testdata/parallel-creation.json"})
	if err == nil || !strings.HasPrefix(err.Error(), "ordered creation: web-2 (ordinal 2) was created while predecessor(s) web-0, web-1") ||
		!strings.Contains(err.Error(), "web-1 (ordinal 1) was created while predecessor(s) web-0 were not Running and Ready") {
		t.Fatalf("the Parallel timeline must violate ordered creation, got %v", err)
	}
	// Kubernetes documents no order for StatefulSet deletion; this
	// recording shows the pods going at once, which scale-down forbids.
	err = verify(&out, verifyFlags{guarantee: "ordered-termination", from: 3, to: 0}, []string{"testdata/cascading-delete.json"})
	if err == nil || !strings.Contains(err.Error(), "began terminating while successor(s)") {
		t.Fatalf("the cascading deletion must not pass as ordered termination, got %v", err)
	}
}

func TestVerifyRejectsBadInput(t *testing.T) {
	var out bytes.Buffer
	if err := verify(&out, verifyFlags{guarantee: "nonsense"}, []string{"testdata/ordered-creation.json"}); err == nil {
		t.Fatal("unknown guarantee accepted")
	}
	if err := verify(&out, verifyFlags{guarantee: "ordered-creation"}, nil); err == nil {
		t.Fatal("missing file accepted")
	}
	if err := verify(&out, verifyFlags{guarantee: "ordered-creation"}, []string{"testdata/missing.json"}); err == nil {
		t.Fatal("unreadable file accepted")
	}
}

// Each command has its own flags: a flag of another command is refused.
func TestCommandsHaveTheirOwnFlags(t *testing.T) {
	for _, args := range [][]string{
		{"verify", "--guarantee", "ordered-creation", "--image", "x", "testdata/ordered-creation.json"},
		{"cluster-down", "--guarantee", "ordered-creation"},
		{"verify", "testdata/ordered-creation.json"},
	} {
		root := newRootCommand()
		root.SetArgs(args)
		root.SetOut(&bytes.Buffer{})
		root.SetErr(&bytes.Buffer{})
		if err := root.Execute(); err == nil {
			t.Errorf("stsconform %v accepted", args)
		}
	}
	root := newRootCommand()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetArgs([]string{"verify", "--guarantee", "ordered-creation", "testdata/ordered-creation.json"})
	if err := root.Execute(); err != nil || !strings.Contains(out.String(), "held") {
		t.Fatalf("verify through the command: %v, %q", err, out.String())
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
		{[]string{"--guarantee", "failed-replaced", "--pod", "web-0"}, "failed pod replacement: evidence lacks pod web-0"},
	}
	for _, c := range cases {
		root := newRootCommand()
		var out bytes.Buffer
		root.SetOut(&out)
		root.SetErr(&bytes.Buffer{})
		root.SetArgs(append(append([]string{"verify"}, c.args...), empty))
		err := root.Execute()
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("verify %v on an empty timeline = %v, want an error starting %q", c.args, err, c.want)
		}
		if strings.Contains(out.String(), "held") {
			t.Errorf("verify %v printed a verdict: %q", c.args, out.String())
		}
	}
}

func TestVerifyOrderedCreationRange(t *testing.T) {
	var out bytes.Buffer
	if err := verify(&out, verifyFlags{guarantee: "ordered-creation", replicas: 3}, []string{"testdata/ordered-creation.json"}); err != nil {
		t.Fatalf("--replicas 3: %v", err)
	}
	if !strings.Contains(out.String(), "creation from 0 to 3 replicas") {
		t.Errorf("verdict does not say what was judged: %q", out.String())
	}
	err := verify(&out, verifyFlags{guarantee: "ordered-creation", to: 4}, []string{"testdata/ordered-creation.json"})
	if err == nil || !strings.HasPrefix(err.Error(), "ordered creation: evidence lacks pods web-3") {
		t.Errorf("--to 4 on a 3-pod recording = %v", err)
	}
	out.Reset()
	if err := verify(&out, verifyFlags{guarantee: "ordered-creation"}, []string{"testdata/ordered-creation.json"}); err != nil || !strings.Contains(out.String(), "inferred") {
		t.Errorf("without --to the verdict must say the range was inferred: %v %q", err, out.String())
	}
}

// Recorded on a real kind cluster by the scale-down halt spec (web-0 held
// unready, scaled 3 to 1 after #13) and the Parallel spec (web-0 held
// unready from its start, scaled 3 to 1 after #11).
func TestVerifyRecordedScaleDowns(t *testing.T) {
	var out bytes.Buffer
	halt := verifyFlags{guarantee: "scale-down-halt", pod: "web-0", from: 3, to: 1, since: 13}
	if err := verify(&out, halt, []string{"testdata/scale-down-halt.json"}); err != nil {
		t.Fatalf("the halted scale-down must hold: %v", err)
	}
	burst := verifyFlags{guarantee: "parallel-termination", pod: "web-0", from: 3, to: 1, since: 11}
	if err := verify(&out, burst, []string{"testdata/parallel-scale-down.json"}); err != nil {
		t.Fatalf("the Parallel scale-down must hold: %v", err)
	}
	ordered := verifyFlags{guarantee: "ordered-termination", from: 3, to: 1, since: 11}
	err := verify(&out, ordered, []string{"testdata/parallel-scale-down.json"})
	if err == nil || !strings.HasPrefix(err.Error(), "ordered termination: web-2 (ordinal 2) began terminating while web-0, kept by the scale-down to 1, was not Running and Ready") {
		t.Fatalf("the Parallel scale-down must violate the OrderedReady halt, got %v", err)
	}
	// Each recording lacks what the other checker needs: no note that the
	// controller observed a halted scale-down; web-0 Ready before the
	// pods went.
	halt.since = 11
	if err := verify(&out, halt, []string{"testdata/parallel-scale-down.json"}); err == nil || !strings.HasPrefix(err.Error(), "ordered termination: evidence lacks the controller's view of the scale-down") {
		t.Fatalf("a scale-down with no halt must not pass as one, got %v", err)
	}
	burst.since = 13
	if err := verify(&out, burst, []string{"testdata/scale-down-halt.json"}); err == nil || !strings.Contains(err.Error(), "evidence lacks a hold of web-0: web-0 became Ready during the scale-down") {
		t.Fatalf("a scale-down that waited for web-0 must not pass as a Parallel one, got %v", err)
	}
}
