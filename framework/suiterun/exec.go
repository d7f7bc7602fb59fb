package suiterun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"syscall"
	"time"
)

// Exec says how Run starts the Ginkgo CLI and stops it.
type Exec struct {
	Dir            string   // working directory; for go tool ginkgo, inside the module
	Env            []string // nil: this process's environment
	Stdout, Stderr io.Writer
	// OwnGroup starts Ginkgo in a process group of its own, which Run
	// interrupts once (with Signal) when ctx ends: a terminal's Ctrl-C,
	// which reaches this process, then reaches Ginkgo and the suite's
	// processes exactly once, as a single Ctrl-C of ginkgo itself would.
	// Without it only the Ginkgo CLI is signalled (a pod's PID 1 gets the
	// kubelet's SIGTERM; Ginkgo passes the interrupt on).
	OwnGroup bool
	Signal   syscall.Signal // SIGINT when zero
	// Grace is how long an interrupted suite may clean up (delete its
	// namespaces, its cluster) before it is killed.
	Grace time.Duration
}

// Run runs the suite and returns Ginkgo's exit code: 0 when every spec
// passed, Ginkgo's own code otherwise (it is the caller's to pass on). The
// error is for a run that could not start or be waited for, or a bad
// Input.
func Run(ctx context.Context, in Input, x Exec) (int, error) {
	if err := in.Validate(); err != nil {
		return 0, err
	}
	args := in.CommandLine()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = x.Dir, x.Stdout, x.Stderr
	if x.Env != nil {
		cmd.Env = x.Env
	}
	if x.OwnGroup {
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	}
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("starting %s: %w", args[0], err)
	}
	sig := x.Signal
	if sig == 0 {
		sig = syscall.SIGINT
	}
	target := cmd.Process.Pid
	if x.OwnGroup {
		target = -target
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	var err error
	select {
	case err = <-waited:
	case <-ctx.Done():
		_ = syscall.Kill(target, sig)
		select {
		case err = <-waited:
		case <-time.After(x.Grace):
			// Out of grace: the whole group goes, not only the CLI, or
			// the suite's processes would outlive the run.
			_ = syscall.Kill(target, syscall.SIGKILL)
			err = <-waited
		}
	}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return 0, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() >= 0:
		return exitErr.ExitCode(), nil
	case errors.As(err, &exitErr):
		// Killed by a signal: no exit code of its own.
		return 128 + int(signalOf(exitErr)), nil
	}
	return 0, fmt.Errorf("waiting for %s: %w", args[0], err)
}

func signalOf(e *exec.ExitError) syscall.Signal {
	if ws, ok := e.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return ws.Signal()
	}
	return syscall.SIGKILL
}
