package report

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Comparison is what changed from one run to another: verdicts of the
// run and of each guarantee, each spec's outcome, and the specs that got
// slower.
type Comparison struct {
	Run        Change
	Guarantees []Change
	Specs      []Change
	Slower     []Slowdown
}

// Change is one verdict or outcome that differs; Worse when the new one
// proves less.
type Change struct {
	Name     string
	Old, New string
	Worse    bool
}

// Slowdown is a spec that passed in both runs and took longer by more
// than the threshold.
type Slowdown struct {
	Spec     string
	Old, New time.Duration
}

// Slowdown thresholds: a spec is slower when it took more than
// SlowerFactor times as long and at least SlowerBy more (the spread of a
// spec between two runs on a shared machine is up to a third, and a
// second or two of a short spec is noise).
const (
	SlowerFactor = 1.5
	SlowerBy     = 10 * time.Second
)

// rank orders verdicts and outcomes by what they prove.
func rank(s string) int {
	switch s {
	case string(Certified), string(Verified), string(passed):
		return 2
	case string(Failed): // a spec's outcome "failed" too
		return 0
	}
	return 1
}

// Compare lists what changed from old to new. factor and by are the
// slowdown thresholds (SlowerFactor, SlowerBy).
func Compare(old, new *Report, factor float64, by time.Duration) Comparison {
	c := Comparison{Run: change("run", string(old.verdict), string(new.verdict))}
	verdicts := func(r *Report) map[string]string {
		m := map[string]string{}
		for _, g := range r.guarantees {
			m[g.Label] = string(g.Verdict)
		}
		return m
	}
	ov, nv := verdicts(old), verdicts(new)
	for _, g := range catalogue {
		if ov[g.Label] != nv[g.Label] {
			c.Guarantees = append(c.Guarantees, change(g.Label, ov[g.Label], nv[g.Label]))
		}
	}
	olds, news := old.specsByText(), new.specsByText()
	var texts []string
	for t := range olds {
		texts = append(texts, t)
	}
	for t := range news {
		if _, ok := olds[t]; !ok {
			texts = append(texts, t)
		}
	}
	slices.Sort(texts)
	for _, t := range texts {
		o, n := olds[t], news[t]
		switch {
		case o == nil:
			c.Specs = append(c.Specs, Change{Name: t, Old: "absent", New: string(n.Outcome), Worse: n.Outcome == failed})
		case n == nil:
			c.Specs = append(c.Specs, Change{Name: t, Old: string(o.Outcome), New: "absent"})
		case o.Outcome != n.Outcome:
			c.Specs = append(c.Specs, change(t, string(o.Outcome), string(n.Outcome)))
		case o.Outcome == passed && n.Duration > time.Duration(float64(o.Duration)*factor) && n.Duration-o.Duration >= by:
			c.Slower = append(c.Slower, Slowdown{Spec: t, Old: o.Duration, New: n.Duration})
		}
	}
	return c
}

func change(name, old, new string) Change {
	if old == new {
		return Change{}
	}
	return Change{Name: name, Old: old, New: new, Worse: rank(new) < rank(old)}
}

func (r *Report) specsByText() map[string]*specResult {
	m := map[string]*specResult{}
	for _, g := range r.guarantees {
		for _, s := range g.Specs {
			m[s.Text] = s
		}
	}
	for _, s := range r.other {
		m[s.Text] = s
	}
	return m
}

// Regressed reports whether the new run proves less than the old one: a
// verdict or outcome got worse, or a spec got slower.
func (c Comparison) Regressed() bool {
	if c.Run.Worse || len(c.Slower) > 0 {
		return true
	}
	for _, ch := range append(append([]Change{}, c.Guarantees...), c.Specs...) {
		if ch.Worse {
			return true
		}
	}
	return false
}

// String is the comparison in lines a console or a CI log shows.
func (c Comparison) String() string {
	var b strings.Builder
	line := func(kind string, ch Change) {
		mark := " "
		if ch.Worse {
			mark = "!"
		}
		fmt.Fprintf(&b, "%s %-9s %s: %s -> %s\n", mark, kind, ch.Name, ch.Old, ch.New)
	}
	if c.Run.Name != "" {
		line("run", c.Run)
	}
	for _, ch := range c.Guarantees {
		line("guarantee", ch)
	}
	for _, ch := range c.Specs {
		line("spec", ch)
	}
	for _, s := range c.Slower {
		fmt.Fprintf(&b, "! slower    %s: %s -> %s\n", s.Spec, s.Old.Round(time.Second), s.New.Round(time.Second))
	}
	if b.Len() == 0 {
		return "no verdict, outcome or spec time changed\n"
	}
	return b.String()
}
