package main

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stsconform/stsconform/framework/timeline"
)

// A count flag far past the recording must be refused at once: judged, a
// checker spans 0..count, and --to 1000000000 took 24 GB. The memory the
// refusal costs is measured, not only its message.
func TestVerifyBoundsCountsByTheRecording(t *testing.T) {
	for _, args := range [][]string{
		{"--guarantee", "ordered-creation", "--to", "1000000000"},
		{"--guarantee", "ordered-creation", "--set", "to=1000000000"},
		{"--guarantee", "rolling-update", "--replicas", "1000000000", "--new", "b"},
		{"--guarantee", "ordered-termination", "--from", "1000000000", "--to", "0"},
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := runVerify(t, append(args, "testdata/ordered-creation.json")...)
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), "evidence lacks pods web-3..web-999999999") {
			t.Errorf("verify %v = %v, want it refused for pods the recording lacks", args, err)
		}
		if grown := after.TotalAlloc - before.TotalAlloc; grown > 64<<20 {
			t.Errorf("verify %v allocated %d MB: its work must follow the file, not the flag", args, grown>>20)
		}
	}
}

// Values no recording can bear, and flags that contradict each other, are
// refused with one line naming the flag, instead of judging something
// else silently.
func TestVerifyRefusesAbsurdFlags(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--guarantee", "ordered-creation", "--to", "-1"}, "--to -1: ordered-creation's to is -1: it cannot be negative"},
		{[]string{"--guarantee", "ordered-creation", "--from", "-2", "--to", "3"}, "--from -2: ordered-creation's from is -2: it cannot be negative"},
		{[]string{"--guarantee", "ordered-creation", "--to", "3", "--replicas", "5"}, "--to 3 and --replicas 5 both set ordered-creation's to: give one"},
		{[]string{"--guarantee", "ordered-creation", "--set", "to=2", "--to", "3"}, "--set to=2 and --to 3 both set ordered-creation's to: give one"},
		{[]string{"--guarantee", "ordered-creation", "--since", "-4"}, "--since -4 is out of range: a seq of testdata/ordered-creation.json, 0..12"},
		{[]string{"--guarantee", "ordered-creation", "--since", "13"}, "--since 13 is out of range"},
		{[]string{"--guarantee", "scale-down-halt", "--pod", "web-0", "--from", "3", "--to", "1", "--observed", "99", "--release", "1"}, "--observed 99: scale-down-halt's observed 99 is beyond 12: a seq of the recording, whose last event is #12"},
		{[]string{"--guarantee", "rolling-update", "--replicas", "3", "--partition", "7", "--new", "b"}, "--partition 7: rolling-update's partition 7 is beyond 3"},
	}
	for _, c := range cases {
		out, err := runVerify(t, append(c.args, "testdata/ordered-creation.json")...)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("verify %v = %v, want one line starting %q", c.args, err, c.want)
		}
		if out != "" {
			t.Errorf("verify %v printed a verdict: %q", c.args, out)
		}
	}
	// The same value twice is one override, not a contradiction.
	if _, err := runVerify(t, "--guarantee", "ordered-creation", "--to", "3", "--replicas", "3", "testdata/ordered-creation.json"); err != nil {
		t.Errorf("--to 3 --replicas 3: %v", err)
	}
}

// Corrupt evidence is its own failure: one line naming the file and the
// first bad event, and the exit status of inconsistent evidence, not a
// violation's.
func TestVerifyNamesInconsistentEvidence(t *testing.T) {
	data, err := os.ReadFile("testdata/ordered-creation.json")
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "edited.json")
	writeFile(t, bad, []byte(strings.Replace(string(data), `"seq": 3,`, `"seq": 2,`, 1)))
	_, err = runVerify(t, bad)
	var inconsistent *timeline.InconsistentError
	if !errors.As(err, &inconsistent) || inconsistent.ExitCode() != timeline.ExitInconsistent {
		t.Fatalf("verify of a duplicate seq = %v, want an *InconsistentError", err)
	}
	want := "the evidence is inconsistent: " + bad + ": event #2 (seq 2): seq 2 is also event #1's"
	if !strings.HasPrefix(err.Error(), want) || strings.Contains(err.Error(), "\n") {
		t.Errorf("verify of a duplicate seq = %q, want one line starting %q", err, want)
	}
}

// A recorded check's input out of the recording's range is what the
// recorder cannot have written: inconsistent evidence, exit 3, not a
// violation; a flag overriding it is the auditor's to fix.
func TestVerifyRecordedInputOutOfRange(t *testing.T) {
	tl, err := timeline.ReadFile("testdata/ordered-creation.json")
	if err != nil {
		t.Fatal(err)
	}
	tl.SchemaVersion = timeline.SchemaVersion
	tl.Checks = []timeline.Check{{Checker: "ordered-creation", Through: tl.LastSeq(), Input: []byte(`{"from":0,"to":-1}`)}}
	edited := filepath.Join(t.TempDir(), "edited.json")
	if err := tl.WriteFile(edited); err != nil {
		t.Fatal(err)
	}
	_, err = runVerify(t, edited)
	var inconsistent *timeline.InconsistentError
	if !errors.As(err, &inconsistent) || !strings.HasPrefix(err.Error(), "the evidence is inconsistent: the recorded check by ordered-creation: ordered-creation's to is -1") {
		t.Errorf("verify of a recorded to -1 = %v, want inconsistent evidence", err)
	}
	if _, err := runVerify(t, "--guarantee", "ordered-creation", "--to", "3", edited); err != nil {
		t.Errorf("--to 3 over the recorded -1: %v", err)
	}
}
