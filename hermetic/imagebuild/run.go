package imagebuild

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// StepError is a failed build command: one line for the user, then the
// command and the tail of its output so that it can be rerun by hand.
type StepError struct {
	Step    string
	Cause   string // short, user-facing
	Command []string
	Dir     string
	Log     string // full output
	Tail    string
	Err     error
}

func (e *StepError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", e.Step, e.Cause)
	fmt.Fprintf(&b, "\n  command: %s", shellJoin(e.Command))
	if e.Dir != "" {
		fmt.Fprintf(&b, "\n  in: %s", e.Dir)
	}
	fmt.Fprintf(&b, "\n  error: %v", e.Err)
	if e.Log != "" {
		fmt.Fprintf(&b, "\n  full output: %s", e.Log)
	}
	if e.Tail != "" {
		fmt.Fprintf(&b, "\n  last output:\n%s", indent(e.Tail, "    "))
	}
	return b.String()
}

func (e *StepError) Unwrap() error { return e.Err }

// causeFromOutput turns the usual fatal outputs into the one line a user
// needs; the rest stays in the details.
func causeFromOutput(out string, fallback string) string {
	low := strings.ToLower(out)
	switch {
	case strings.Contains(low, "no space left on device"):
		return "the disk is full (no space left on device)"
	case strings.Contains(low, "permission denied while trying to connect to the docker daemon"):
		return "no permission to use Docker (add the user to the docker group or run as root)"
	case strings.Contains(low, "cannot connect to the docker daemon"):
		return "no Docker engine answers (run `make docker-up`)"
	case strings.Contains(out, "Unable to locate package"):
		i := strings.Index(out, "Unable to locate package")
		line, _, _ := strings.Cut(out[i:], "\n")
		return "a Debian package is missing: " + strings.TrimSpace(line)
	}
	return fallback
}

type runner struct {
	logDir string
	stdout io.Writer // progress lines
}

type cmdOpts struct {
	dir   string
	env   []string
	stdin io.Reader
	out   io.Writer // in addition to the log
}

func (r *runner) run(ctx context.Context, step string, o cmdOpts, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = o.dir
	cmd.Env = append(os.Environ(), o.env...)
	cmd.Stdin = o.stdin
	var buf bytes.Buffer
	logPath := filepath.Join(r.logDir, sanitize(step)+".log")
	sinks := []io.Writer{&buf}
	if f, err := os.Create(logPath); err == nil {
		defer f.Close()
		sinks = append(sinks, f)
	} else {
		logPath = ""
	}
	if o.out != nil {
		cmd.Stdout = io.MultiWriter(append(sinks, o.out)...)
	} else {
		cmd.Stdout = io.MultiWriter(sinks...)
	}
	cmd.Stderr = io.MultiWriter(sinks...)
	err := cmd.Run()
	if err != nil {
		out := buf.String()
		return out, &StepError{
			Step:    step,
			Cause:   causeFromOutput(out, fmt.Sprintf("%s failed", name)),
			Command: append([]string{name}, args...),
			Dir:     o.dir,
			Log:     logPath,
			Tail:    tail(out, 15),
			Err:     err,
		}
	}
	return buf.String(), nil
}

// cleanup runs a deferred clean-up command even when ctx is cancelled (an
// interrupted build must not leave its container behind). A failure is
// told, not returned: the build's own result is what the caller reports,
// and the leftover is named so that it can be removed by hand.
func (r *runner) cleanup(ctx context.Context, step string, name string, args ...string) {
	if _, err := r.run(context.WithoutCancel(ctx), step, cmdOpts{}, name, args...); err != nil {
		r.progress("warning: %s failed; remove it by hand: %s", step, shellJoin(append([]string{name}, args...)))
	}
}

func (r *runner) progress(format string, args ...any) {
	if r.stdout != nil {
		fmt.Fprintf(r.stdout, format+"\n", args...)
	}
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func indent(s, pfx string) string {
	return pfx + strings.ReplaceAll(s, "\n", "\n"+pfx)
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == ' ' || r == ':' {
			return '_'
		}
		return r
	}, s)
}

func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\"'$\\|&;<>()*?[]#~") {
			q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		} else {
			q[i] = a
		}
	}
	return strings.Join(q, " ")
}
