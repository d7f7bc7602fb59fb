package report

import (
	"fmt"
	"strings"
)

// Verdict is the judgement of one guarantee (Verified, Failed,
// NotVerified) or of the whole run (Certified, Failed, Incomplete).
type Verdict string

const (
	// Verified: every spec of the guarantee passed, at least one ran, and
	// no recorded timeline of it shows a violation.
	Verified Verdict = "verified"
	// Failed: a spec of the guarantee failed, or its evidence shows a
	// violation; for a run, some guarantee failed.
	Failed Verdict = "failed"
	// NotVerified: nothing failed, but some spec did not run to the end
	// (skipped, filtered out, interrupted, pending) or none was in the run.
	NotVerified Verdict = "not verified"
	// Certified: every guarantee of the catalogue verified and the evidence
	// intact.
	Certified Verdict = "certified"
	// Incomplete: nothing failed, but not every guarantee is verified or
	// the evidence has gaps.
	Incomplete Verdict = "incomplete"
)

// outcome is what one spec contributes to its guarantees' verdicts.
type outcome string

const (
	passed outcome = "passed"
	failed outcome = "failed"
	notRun outcome = "not run"
)

// judge decides one guarantee from its specs and the violations its
// recorded timelines show. The order matters: a failure anywhere outweighs
// a gap, and a gap (a spec that did not run to the end, or evidence that
// cannot be read) outweighs any number of passes.
func judge(specs []*specResult, violations []string) (Verdict, string) {
	var bad, gaps, unread, inconsistent []string
	for _, s := range specs {
		inconsistent = append(inconsistent, s.inconsistent...)
		switch s.Outcome {
		case failed:
			bad = append(bad, fmt.Sprintf("\"%s\" %s: %s", s.Text, s.State, clip(headline(s.Reason), 200)))
		case notRun:
			gaps = append(gaps, fmt.Sprintf("\"%s\" %s", s.Text, s.Reason))
		}
		if len(s.gaps) > 0 {
			unread = append(unread, fmt.Sprintf("\"%s\": %s", s.Text, strings.Join(s.gaps, ", ")))
		}
	}
	switch {
	case len(bad) > 0 || len(violations) > 0:
		var parts []string
		if len(bad) > 0 {
			parts = append(parts, fmt.Sprintf("%d of %d specs failed: %s", len(bad), len(specs), strings.Join(bad, "; ")))
		}
		parts = append(parts, violations...)
		return Failed, strings.Join(parts, "; ")
	case len(specs) == 0:
		return NotVerified, "no spec with this label was in the run"
	case len(gaps) > 0 || len(unread) > 0 || len(inconsistent) > 0:
		var parts []string
		// First: corrupt evidence says more about the run than a gap.
		if len(inconsistent) > 0 {
			parts = append(parts, strings.Join(inconsistent, "; "))
		}
		if len(gaps) > 0 {
			parts = append(parts, fmt.Sprintf("%d of %d specs did not run to the end: %s", len(gaps), len(specs), strings.Join(gaps, "; ")))
		}
		if len(unread) > 0 {
			parts = append(parts, fmt.Sprintf("the evidence of %d of %d specs cannot be judged: %s", len(unread), len(specs), strings.Join(unread, "; ")))
		}
		return NotVerified, strings.Join(parts, "; ")
	}
	if len(specs) == 1 {
		return Verified, "its only spec passed"
	}
	return Verified, fmt.Sprintf("all %d specs passed", len(specs))
}

// overall sums up the run. problems are gaps in the evidence or the run
// itself (a failed suite node, an unreadable timeline): they keep a run
// whose guarantees all verified from being certified.
func overall(gs []*guaranteeResult, problems []string) (Verdict, []string) {
	var failedG, unverified []string
	for _, g := range gs {
		switch g.Verdict {
		case Failed:
			failedG = append(failedG, g.Label)
		case NotVerified:
			unverified = append(unverified, g.Label)
		}
	}
	var reasons []string
	if verified := len(gs) - len(failedG) - len(unverified); verified < len(gs) {
		reasons = append(reasons, fmt.Sprintf("%d of %d guarantees verified", verified, len(gs)))
	}
	if len(failedG) > 0 {
		reasons = append(reasons, "failed: "+strings.Join(failedG, ", "))
	}
	if len(unverified) > 0 {
		reasons = append(reasons, "not verified: "+strings.Join(unverified, ", "))
	}
	if len(problems) > 0 {
		reasons = append(reasons, fmt.Sprintf("%d problem(s) with the run or its evidence", len(problems)))
	}
	switch {
	case len(failedG) > 0:
		return Failed, reasons
	case len(reasons) > 0:
		return Incomplete, reasons
	}
	return Certified, []string{fmt.Sprintf("all %d guarantees verified", len(gs))}
}

// clip keeps summaries one glance long; the full text is in the spec's
// section.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// headline is the start of a message, one line or several short ones:
// Gomega spreads even a short failure over lines ("Expected", "<int>: 1",
// "to equal", "<int>: 2"), and its first line alone says nothing.
func headline(msg string) string {
	var out []string
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(msg), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		out = append(out, line)
		n += len(line)
		if n >= 40 || len(out) == 4 {
			break
		}
	}
	return strings.TrimSuffix(strings.Join(out, " "), ":")
}
