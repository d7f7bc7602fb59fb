package report

import (
	"fmt"
	"strings"
	"time"
)

// view is the Report as the templates read it: exported, formatted once,
// shared by the HTML and Markdown outputs so they cannot disagree.
type view struct {
	Suite        string
	Started      string
	Duration     string
	LabelFilter  string
	Selection    string
	CommandLine  string
	SuiteVersion string
	SuiteCommit  string
	RunID        string
	Seed         int64
	Processes    int

	Verdict    Verdict
	Reasons    []string
	Counts     counts
	Guarantees []*guaranteeResult
	Other      []*specResult
	Problems   []string
	Orphans    []*evidence
	Env        Environment
	Support    string
	Manifest   []manifestEntry
	TotalSize  int64
	Rerun      *rerunView
}

func (r *Report) view() view {
	v := view{
		Suite:        r.suite,
		Started:      stampUTC(r.started),
		Duration:     r.duration.Round(time.Second).String(),
		LabelFilter:  r.labelFilter,
		CommandLine:  shellJoin(r.env.CommandLine),
		SuiteVersion: r.env.SuiteVersion,
		SuiteCommit:  r.env.SuiteCommit,
		RunID:        r.env.RunID,
		Seed:         r.config.RandomSeed,
		Processes:    r.config.ParallelTotal,
		Verdict:      r.verdict,
		Reasons:      r.reasons,
		Counts:       r.counts,
		Guarantees:   r.guarantees,
		Other:        r.other,
		Problems:     r.problems,
		Orphans:      r.orphans,
		Env:          r.env,
		Support:      r.support.Reason,
		Manifest:     r.manifest,
		Rerun:        r.rerun.view(),
	}
	var sel []string
	for _, f := range r.config.FocusStrings {
		sel = append(sel, "--focus="+f)
	}
	for _, s := range r.config.SkipStrings {
		sel = append(sel, "--skip="+s)
	}
	v.Selection = strings.Join(sel, " ")
	for _, m := range r.manifest {
		v.TotalSize += m.Size
	}
	return v
}

func stampUTC(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// shellJoin quotes arguments so the command line can be pasted back into a
// shell exactly as it ran.
func shellJoin(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a != "" && strings.IndexFunc(a, func(r rune) bool {
			return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && !strings.ContainsRune("-_./=:,+@%", r)
		}) < 0 {
			out[i] = a
			continue
		}
		out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(out, " ")
}

// specDuration keeps sub-second precision where it matters.
func specDuration(d time.Duration) string {
	if d == 0 {
		return "–"
	}
	return d.Round(100 * time.Millisecond).String()
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// class turns a verdict or outcome into a CSS class name.
func class(s fmt.Stringer) string {
	return strings.ReplaceAll(s.String(), " ", "-")
}

func (v Verdict) String() string { return string(v) }
func (o outcome) String() string { return string(o) }

// orUnknown marks a value the suite did not record, instead of leaving a
// blank that reads like an empty value.
func orUnknown(s string) string {
	if s == "" {
		return "unknown (not recorded by the suite)"
	}
	return s
}
