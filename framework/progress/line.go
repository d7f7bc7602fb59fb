package progress

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// maxSpecText keeps a line on one screen: a spec's full text can be 150
// characters, and several run at once.
const maxSpecText = 60

// Line is the state in one line. Before the suite's first event there is
// nothing to say, and Line is empty.
func (s State) Line(now time.Time, last Times) string {
	if s.Started.IsZero() {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d/%d specs done (%d passed, %d failed, %d skipped)", s.Done(), s.WillRun, s.Passed, s.Failed, s.Skipped)
	procs := make([]int, 0, len(s.Running))
	for p := range s.Running {
		procs = append(procs, p)
	}
	slices.Sort(procs)
	switch {
	case len(procs) > 0:
		var running []string
		for _, p := range procs {
			r := s.Running[p]
			running = append(running, fmt.Sprintf("%q %s", clip(r.Spec), short(now.Sub(r.Since))))
		}
		b.WriteString("; running " + strings.Join(running, ", "))
	case s.Done() == 0:
		// Ginkgo starts no spec before the suite's setup (the cluster,
		// the image checks) is done.
		b.WriteString("; the suite's setup is running")
	}
	fmt.Fprintf(&b, "; elapsed %s", short(now.Sub(s.Started)))
	if s.Done() < s.WillRun {
		if left, basis := s.Left(now, last); basis != NoBasis {
			fmt.Fprintf(&b, "; about %s left (%s)", short(left), basis)
		}
	}
	return b.String()
}

func clip(s string) string {
	r := []rune(s)
	if len(r) <= maxSpecText {
		return s
	}
	return string(r[:maxSpecText-1]) + "…"
}

// short is a duration to the second, which is what a person reads.
func short(d time.Duration) string {
	return max(0, d).Round(time.Second).String()
}
