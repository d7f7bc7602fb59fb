package cluster

import (
	"fmt"
	"regexp"
	"strings"

	"sigs.k8s.io/kind/pkg/exec"
)

// CreateFailure is a failed kind create told the way a user needs it: what
// failed, on which node, and the failing command's own cause, in one line;
// the command and the end of its output below.
type CreateFailure struct {
	// Step is kind's own message, e.g. "failed to join node with kubeadm".
	Step string
	// Node is the node container the failing command ran in or created.
	Node string
	// Cause holds the last meaningful lines of the command's output.
	Cause   []string
	Command string
	// Tail is the end of the command's output.
	Tail []string
	// Journal is the tail of the failing node's kubelet journal.
	Journal []string
}

// Summary is the failure in one line.
func (f CreateFailure) Summary() string {
	s := f.Step
	if f.Node != "" {
		s += " on " + f.Node
	}
	if len(f.Cause) > 0 {
		s += ": " + strings.Join(f.Cause, "; ")
	}
	return s
}

// Details are the lines below the summary.
func (f CreateFailure) Details() string {
	if f.Command == "" {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "command: %s\n", f.Command)
	if len(f.Tail) > 0 {
		fmt.Fprintf(&b, "last %d lines of its output:\n", len(f.Tail))
		for _, l := range f.Tail {
			b.WriteString("  " + l + "\n")
		}
	}
	if len(f.Journal) > 0 {
		fmt.Fprintf(&b, "kubelet journal of %s:\n", f.Node)
		for _, l := range f.Journal {
			b.WriteString("  " + l + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

const (
	causeLines = 3
	tailLines  = 25
)

// DescribeCreateError reads a kind create error: kind wraps the failing
// command's *exec.RunError, whose output carries kubeadm's (or docker's)
// own explanation, which kind's message leaves out.
func DescribeCreateError(err error) CreateFailure {
	msg := err.Error()
	re := exec.RunErrorForError(err)
	if re == nil {
		return CreateFailure{Step: oneLine(msg)}
	}
	f := CreateFailure{Step: oneLine(msg), Command: re.PrettyCommand(), Node: commandNode(re.Command)}
	// kind: "<step>: command \"...\" failed with error: exit status 1"
	if i := strings.Index(msg, ": command \""); i > 0 {
		f.Step = oneLine(msg[:i])
	} else if strings.HasPrefix(msg, "command \"") {
		// The command's own error, unwrapped: name it by its verb.
		f.Step = re.Command[0] + " failed"
		if len(re.Command) > 1 {
			f.Step = re.Command[0] + " " + re.Command[1] + " failed"
		}
	}
	out := strings.Split(strings.TrimRight(string(re.Output), "\n"), "\n")
	f.Cause = outputCause(out)
	if len(f.Cause) == 0 && re.Inner != nil {
		f.Cause = []string{re.Inner.Error()}
	}
	f.Tail = out
	if len(out) > tailLines {
		f.Tail = out[len(out)-tailLines:]
	}
	return f
}

var (
	// klog's header: I1125 18:02:11.123456     312 join.go:419] message
	klogLine = regexp.MustCompile(`^([IWEF])\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ [^\]]+\] ?(.*)$`)
	// a stack frame's file line: "\t/go/src/k8s.io/.../runner.go:262"
	frameFile = regexp.MustCompile(`^\s+\S+\.(go|s):\d+( \+0x[0-9a-f]+)?$`)
	causeWord = regexp.MustCompile(`(?i)error|fail|fatal|timed out|deadline exceeded|refused|unable|cannot|couldn't|not healthy|too many open files|no space left`)
)

// outputCause picks the last meaningful lines of a command's output:
// kubeadm ends with "error: <message>" (then a stack trace at --v=5 and
// above); other commands are searched for error-like lines.
func outputCause(lines []string) []string {
	var kept []string
	for i, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case t == "", frameFile.MatchString(l),
			strings.HasPrefix(t, "To see the stack trace"), t == "no stack trace":
			continue
		case i+1 < len(lines) && frameFile.MatchString(lines[i+1]) && !strings.ContainsAny(t, " \t"):
			continue // a stack frame's function line
		}
		if m := klogLine.FindStringSubmatch(t); m != nil {
			if m[1] == "I" {
				continue
			}
			t = m[2]
		}
		kept = append(kept, t)
	}
	for i := len(kept) - 1; i >= 0; i-- {
		if rest, ok := strings.CutPrefix(kept[i], "error: "); ok {
			out := append([]string{rest}, kept[i+1:]...)
			return lastDistinct(out[:min(len(out), causeLines)], causeLines)
		}
	}
	var hits []string
	for _, t := range kept {
		if causeWord.MatchString(t) {
			hits = append(hits, t)
		}
	}
	return lastDistinct(hits, causeLines)
}

// lastDistinct keeps the last n lines, each once, in order.
func lastDistinct(lines []string, n int) []string {
	seen := map[string]bool{}
	var out []string
	for i := len(lines) - 1; i >= 0 && len(out) < n; i-- {
		if !seen[lines[i]] {
			seen[lines[i]] = true
			out = append([]string{lines[i]}, out...)
		}
	}
	return out
}

// commandNode finds the node container in a container CLI command:
// "docker exec [flags] NODE cmd ..." or "docker run ... --name NODE ...".
func commandNode(argv []string) string {
	if len(argv) < 3 {
		return ""
	}
	switch argv[1] {
	case "exec":
		valued := map[string]bool{"-e": true, "--env": true, "-u": true, "--user": true, "-w": true, "--workdir": true}
		for i := 2; i < len(argv); i++ {
			a := argv[i]
			if !strings.HasPrefix(a, "-") {
				return a
			}
			if valued[a] {
				i++
			}
		}
	case "run", "create":
		for i := 2; i < len(argv); i++ {
			if v, ok := strings.CutPrefix(argv[i], "--name="); ok {
				return v
			}
			if argv[i] == "--name" && i+1 < len(argv) {
				return argv[i+1]
			}
		}
	}
	return ""
}
