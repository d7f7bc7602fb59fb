package suiterun

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// script writes a stand-in for the Ginkgo CLI and returns an Input that
// runs it.
func script(t *testing.T, body string) Input {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ginkgo")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	in := local()
	in.Ginkgo = []string{p}
	return in
}

func TestRunReturnsGinkgosExitCode(t *testing.T) {
	for _, code := range []string{"0", "1", "3"} {
		var out bytes.Buffer
		got, err := Run(context.Background(), script(t, `echo "$@"; exit `+code+"\n"), Exec{Stdout: &out, Stderr: &out})
		if err != nil {
			t.Fatal(err)
		}
		if want := code[0] - '0'; got != int(want) {
			t.Errorf("exit code %d; want Ginkgo's %d", got, want)
		}
		if !strings.Contains(out.String(), "--procs=3 ") {
			t.Errorf("Ginkgo got %q", out.String())
		}
	}
}

// An interrupt reaches Ginkgo and the processes it started once, and Run
// waits for them to clean up. (SIGTERM here: sh starts background
// commands with SIGINT ignored.)
func TestRunInterruptsTheGroupOnce(t *testing.T) {
	dir := t.TempDir()
	marks := filepath.Join(dir, "marks")
	in := script(t, `
child() { trap 'echo child >> `+marks+`; exit 0' TERM; echo > `+filepath.Join(dir, "child-started")+`; while :; do sleep 0.05; done; }
child &
trap 'echo cli >> `+marks+`; wait; exit 5' TERM
echo started > `+filepath.Join(dir, "started")+`
while :; do sleep 0.05; done
`)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		code, err := Run(ctx, in, Exec{OwnGroup: true, Signal: syscall.SIGTERM, Grace: time.Minute})
		if err != nil {
			t.Error(err)
		}
		done <- code
	}()
	// Both have set their traps.
	waitFor(t, filepath.Join(dir, "started"))
	waitFor(t, filepath.Join(dir, "child-started"))
	cancel()
	if code := <-done; code != 5 {
		t.Errorf("exit code %d; want the interrupted CLI's 5", code)
	}
	got, _ := os.ReadFile(marks)
	if lines := strings.Fields(string(got)); len(lines) != 2 {
		t.Errorf("interrupts seen: %q; want the CLI and its child once each", lines)
	}
}

func TestRunKillsTheGroupAfterTheGrace(t *testing.T) {
	dir := t.TempDir()
	in := script(t, `trap '' INT; echo started > `+filepath.Join(dir, "started")+`; while :; do sleep 0.05; done`+"\n")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		code, _ := Run(ctx, in, Exec{OwnGroup: true, Grace: 200 * time.Millisecond})
		done <- code
	}()
	waitFor(t, filepath.Join(dir, "started"))
	start := time.Now()
	cancel()
	if code := <-done; code != 128+9 {
		t.Errorf("exit code %d; want 137 (killed)", code)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s to kill a Ginkgo that ignores interrupts; the grace was 200ms", d)
	}
}

func TestRunRefusesABadInput(t *testing.T) {
	in := script(t, "exit 0\n")
	in.Procs = -3
	if _, err := Run(context.Background(), in, Exec{}); err == nil || !strings.Contains(err.Error(), "--procs -3") {
		t.Errorf("error %v; want the bad --procs named", err)
	}
}

func waitFor(t *testing.T, p string) {
	t.Helper()
	for range 200 {
		if _, err := os.Stat(p); err == nil {
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("%s never appeared", p)
}
