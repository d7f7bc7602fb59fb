package report

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/timeline"
)

// timelinesDir is where the suite writes one JSON file per recorded
// StatefulSet, relative to the artifacts directory.
const timelinesDir = "timelines"

// evidence is one recorded timeline and what the report concluded from it.
type evidence struct {
	Path        string            `json:"path"`
	Namespace   string            `json:"namespace"`
	StatefulSet string            `json:"statefulSet"`
	Timeline    timeline.Timeline `json:"-"`
	Specs       []string          `json:"specs,omitempty"`
	// Checked names the checkers the report judged the timeline with: the
	// checks its specs recorded in it, each judged again on the window it
	// judged; for a timeline written before checks were recorded (schema
	// 1), the checkers that need nothing but the timeline, of the
	// guarantees its specs carry.
	Checked    []string    `json:"checked,omitempty"`
	Violations []violation `json:"violations,omitempty"`
	Rollout    []revision  `json:"rollout,omitempty"`

	// judged: the recorded checks were judged again (once, whichever
	// spec claims the timeline first).
	judged bool
	// inconsistent are its recorded checks the recorder cannot have
	// written (an input out of the recording's range), each its line:
	// corrupt evidence, neither a pass nor a violation.
	inconsistent []string
	// budgets are the maxUnavailable windows its recorded checks judged,
	// drawn under the lanes (svg_budget.go).
	budgets []budget
}

// violation is a guarantee.Violation reduced to what a reader and the
// chart need: the offending pod (empty for a violation about the end
// state) and the checker's message.
type violation struct {
	Guarantee string `json:"guarantee"`
	Pod       string `json:"pod,omitempty"`
	Seq       int    `json:"seq,omitempty"`
	Problem   string `json:"problem"`
	// Source is "report" when the report's own checker found it, "spec"
	// when the spec reported it.
	Source string `json:"source"`
}

// loadTimelines reads every timeline file the suite wrote. A file that
// cannot be read is a problem for the report, not a reason to give up on
// the rest of the evidence; unreadable holds why, by path, for the
// verdicts of the guarantees that rest on it: an *InconsistentError, named
// by its path in the artifacts, for evidence the recorder cannot have
// written.
func loadTimelines(artifactsDir string) (timelines map[string]*evidence, unreadable map[string]error, problems []string) {
	files, err := filepath.Glob(filepath.Join(artifactsDir, timelinesDir, "*.json"))
	if err != nil {
		return nil, nil, []string{fmt.Sprintf("listing timelines: %v", err)}
	}
	sort.Strings(files)
	out := map[string]*evidence{}
	unreadable = map[string]error{}
	for _, f := range files {
		rel := relToArtifacts(artifactsDir, f)
		tl, err := timeline.ReadFile(f)
		var inconsistent *timeline.InconsistentError
		switch {
		case errors.As(err, &inconsistent):
			inconsistent.File = rel
			problems = append(problems, err.Error())
		case err != nil:
			problems = append(problems, fmt.Sprintf("timeline %s unreadable: %v", rel, err))
		}
		if err != nil {
			unreadable[rel] = err
			continue
		}
		out[rel] = &evidence{Path: rel, Namespace: tl.Namespace, StatefulSet: tl.StatefulSet, Timeline: tl}
	}
	return out, unreadable, problems
}

// attach links a spec's timelines to their evidence, judges again the
// checks recorded in them (rejudge) and adds the violations the spec
// reported itself. A timeline missing or unreadable is the spec's evidence
// gap (evidenceGaps).
func attach(s *specResult, timelines map[string]*evidence) (found []*evidence) {
	for _, p := range s.Timelines {
		ev := timelines[p]
		if ev == nil {
			continue
		}
		if !slices.Contains(ev.Specs, s.Text) {
			ev.Specs = append(ev.Specs, s.Text)
		}
		ev.rejudge(s.Labels)
		found = append(found, ev)
	}
	for _, v := range s.violations {
		ev := owner(found, v)
		if ev == nil {
			continue
		}
		ev.add(v, "spec")
	}
	return found
}

// owner picks the timeline a reported violation belongs to: the one with
// its offending event, else the spec's first.
func owner(evs []*evidence, v guarantee.Violation) *evidence {
	if v.Event != nil {
		for _, ev := range evs {
			for _, e := range ev.Timeline.Events {
				if e.UID == v.Event.UID && e.Seq == v.Event.Seq {
					return ev
				}
			}
		}
	}
	if len(evs) > 0 {
		return evs[0]
	}
	return nil
}

// rejudge judges the recorded checks of the timeline again, each on the
// window it judged; a verdict other than the one the spec required is a
// violation of the timeline. A timeline written before checks were
// recorded (schema 1) is judged instead, for the guarantees of the spec
// that claims it, by their checkers whose zero input judges a whole
// recording.
func (ev *evidence) rejudge(labels []string) {
	if ev.Timeline.SchemaVersion >= 2 {
		if ev.judged {
			return
		}
		ev.judged = true
		for _, rc := range ev.Timeline.Checks {
			if !slices.Contains(ev.Checked, rc.Checker) {
				ev.Checked = append(ev.Checked, rc.Checker)
			}
			r := guarantee.Rejudge(ev.Timeline, rc)
			var bad *timeline.InconsistentError
			if errors.As(r.Err, &bad) {
				named := *bad
				named.File = ev.Path
				ev.inconsistent = append(ev.inconsistent, named.Error())
				continue
			}
			if in, ok := r.Check.(*guarantee.MaxUnavailableInput); ok {
				ev.budgets = append(ev.budgets, budgetOf(*in, rc.Window(ev.Timeline)))
			}
			ev.addViolations(r.Problem(), "report")
		}
		return
	}
	for _, label := range labels {
		g, ok := guarantee.Lookup(label)
		if !ok {
			continue
		}
		for _, c := range g.Checkers {
			if !c.Whole || slices.Contains(ev.Checked, c.Name) {
				continue
			}
			ev.Checked = append(ev.Checked, c.Name)
			ev.addViolations(c.Zero().Judge(ev.Timeline), "report")
		}
	}
}

func (ev *evidence) addViolations(err error, source string) {
	if err == nil {
		return
	}
	var vs guarantee.Violations
	if !errors.As(err, &vs) {
		ev.Violations = append(ev.Violations, violation{Problem: err.Error(), Source: source})
		return
	}
	for _, v := range vs {
		ev.add(v, source)
	}
}

func (ev *evidence) add(v guarantee.Violation, source string) {
	out := violation{Guarantee: v.Rule.Name, Problem: v.Problem, Source: source}
	if v.Event != nil {
		out.Pod, out.Seq = v.Event.Pod, v.Event.Seq
	}
	for _, have := range ev.Violations {
		if have.Problem == out.Problem && have.Seq == out.Seq {
			return
		}
	}
	ev.Violations = append(ev.Violations, out)
}

// summary is one line per violated timeline for the verdict's reason.
func (ev *evidence) summary() string {
	if len(ev.Violations) == 0 {
		return ""
	}
	return fmt.Sprintf("timeline %s shows %d violation(s), first: %s", ev.Path, len(ev.Violations), ev.Violations[0].Problem)
}

// orphans lists, in path order, the timelines no guarantee section shows,
// so that every recorded timeline is drawn somewhere.
func orphans(timelines map[string]*evidence, gs []*guaranteeResult) []*evidence {
	shown := map[*evidence]bool{}
	for _, g := range gs {
		for _, ev := range g.Timelines {
			shown[ev] = true
		}
	}
	var out []*evidence
	for _, ev := range timelines {
		if !shown[ev] {
			out = append(out, ev)
		}
	}
	slices.SortFunc(out, func(a, b *evidence) int { return strings.Compare(a.Path, b.Path) })
	return out
}
