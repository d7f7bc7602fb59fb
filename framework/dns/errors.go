package dns

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotFound is matched (errors.Is) by every NotFoundError.
var ErrNotFound = errors.New("name not found")

// NotFoundError says the resolver answered that the name does not exist, as
// opposed to the lookup failing; it keeps the command and its output.
type NotFoundError struct {
	Name    string
	Probe   PodRef
	Command []string
	Output  string
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("%s: %q not found, from pod %s running %q; output:\n%s",
		ErrNotFound, e.Name, e.Probe, e.Command, strings.TrimRight(e.Output, "\n"))
}

func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// IsNotFound reports whether err says the name does not exist.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// lookupError is a lookup that failed for a reason other than the name not
// existing, or whose output could not be understood.
func lookupError(probe PodRef, command []string, stdout, stderr string, err error, why string) error {
	output := fmt.Sprintf("\nstdout:\n%s\nstderr:\n%s", strings.TrimRight(stdout, "\n"), strings.TrimRight(stderr, "\n"))
	if err != nil {
		return fmt.Errorf("resolving from pod %s with %q: %s: %w%s", probe, command, why, err, output)
	}
	return fmt.Errorf("resolving from pod %s with %q: %s%s", probe, command, why, output)
}
