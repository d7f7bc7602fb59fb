package main

import (
	"bytes"
	"strings"
	"testing"
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
	if err == nil || !strings.Contains(err.Error(), "web-1 (ordinal 1) was created while predecessor(s) web-0 were not Running and Ready") {
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
