package report

import (
	"fmt"
	"strings"

	"github.com/stsconform/stsconform/framework/support"
)

// Summary is the run's verdict in a few plain-text lines, one per
// guarantee, for a console at the end of a run.
func (r *Report) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "StatefulSet conformance on %s: %s in %s (%d passed, %d failed, %d skipped)\n",
		orUnknown(r.env.ServerVersion), strings.ToUpper(string(r.verdict)), r.view().Duration, r.counts.Passed, r.counts.Failed, r.counts.Skipped)
	if r.support.Status != support.Supported {
		fmt.Fprintf(&b, "  support window: %s\n", r.support.Reason)
	}
	for _, g := range r.guarantees {
		line := fmt.Sprintf("  %-16s %-13s %s", g.Label, g.Verdict, clip(g.Reason, 160))
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	for _, p := range r.problems {
		fmt.Fprintf(&b, "  problem: %s\n", clip(p, 200))
	}
	return b.String()
}
