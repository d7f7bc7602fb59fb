package podexec

import (
	"fmt"
	"strings"
)

// Error is a failed Exec with the evidence needed to judge it.
type Error struct {
	Namespace string
	Pod       string
	Container string
	Command   []string
	Stdout    string
	Stderr    string
	// ExitCode is the command's exit status; -1 when the command did not run
	// to an exit (the stream failed, the container is gone, ...).
	ExitCode int
	Err      error
}

func newError(in ExecInput, res Result, err error) *Error {
	code, ok := asExitCode(err)
	if !ok {
		code = -1
	}
	return &Error{
		Namespace: in.Namespace,
		Pod:       in.Pod,
		Container: in.Container,
		Command:   in.Command,
		Stdout:    res.Stdout,
		Stderr:    res.Stderr,
		ExitCode:  code,
		Err:       err,
	}
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "exec %q in pod %s/%s", e.Command, e.Namespace, e.Pod)
	if e.Container != "" {
		fmt.Fprintf(&b, " container %s", e.Container)
	}
	if e.ExitCode >= 0 {
		fmt.Fprintf(&b, ": exit code %d", e.ExitCode)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	fmt.Fprintf(&b, "\nstdout:\n%s", indent(e.Stdout))
	fmt.Fprintf(&b, "\nstderr:\n%s", indent(e.Stderr))
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ExitCode returns the exit status of the command behind err, if err is a
// podexec error for a command that ran to an exit.
func ExitCode(err error) (int, bool) {
	return asExitCode(err)
}

func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return "  <empty>"
	}
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}
