package nodefailure

import (
	"context"
	"errors"
	"io"
	"strings"

	"sigs.k8s.io/kind/pkg/exec"
)

// scriptedCmder answers every command with the same output and outcome and
// records what was run.
type scriptedCmder struct {
	output string
	fail   bool
	ran    [][]string
}

func (s *scriptedCmder) Command(name string, args ...string) exec.Cmd {
	return s.CommandContext(context.Background(), name, args...)
}

func (s *scriptedCmder) CommandContext(_ context.Context, name string, args ...string) exec.Cmd {
	argv := append([]string{name}, args...)
	s.ran = append(s.ran, argv)
	return &scriptedCmd{argv: argv, cmder: s}
}

type scriptedCmd struct {
	argv           []string
	cmder          *scriptedCmder
	stdout, stderr io.Writer
}

func (c *scriptedCmd) SetEnv(...string) exec.Cmd      { return c }
func (c *scriptedCmd) SetStdin(io.Reader) exec.Cmd    { return c }
func (c *scriptedCmd) SetStdout(w io.Writer) exec.Cmd { c.stdout = w; return c }
func (c *scriptedCmd) SetStderr(w io.Writer) exec.Cmd { c.stderr = w; return c }

// Run behaves like kind's LocalCmd: output goes to the writers and a failure
// is a *RunError carrying it.
func (c *scriptedCmd) Run() error {
	w := c.stdout
	if c.cmder.fail && c.stderr != nil {
		w = c.stderr
	}
	if w != nil {
		_, _ = io.Copy(w, strings.NewReader(c.cmder.output))
	}
	if c.cmder.fail {
		return &exec.RunError{Command: c.argv, Output: []byte(c.cmder.output), Inner: errors.New("exit status 1")}
	}
	return nil
}
