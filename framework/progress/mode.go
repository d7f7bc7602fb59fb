package progress

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/term"
)

// Mode says when progress lines are printed.
type Mode string

const (
	// Auto prints them when the output is a terminal: a log file or a CI
	// job's log keeps Ginkgo's output as it was.
	Auto   Mode = "auto"
	Always Mode = "always"
	Never  Mode = "never"
)

// ParseMode reads a --progress value.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case Auto, Always, Never:
		return m, nil
	}
	return "", fmt.Errorf("--progress %q: want auto, always or never", s)
}

// On reports whether lines go to w.
func (m Mode) On(w io.Writer) bool {
	switch m {
	case Always:
		return true
	case Never:
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
