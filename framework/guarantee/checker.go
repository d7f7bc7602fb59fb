package guarantee

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/stsconform/stsconform/framework/timeline"
)

// Checker is one registered checker: its name (what a recording and
// `stsconform verify --guarantee` call it), the rule its verdicts quote and
// its input. Checkers are declared by the guarantees they judge
// (Guarantee.Checkers); Checkers and LookupChecker are derived from those
// declarations.
type Checker struct {
	Name string
	Rule Rule
	// Judges says in a few words what it judges, for verify's help.
	Judges string
	// Whole says that its zero input judges a whole recording without the
	// spec's parameters. The report judges timelines written before checks
	// were recorded (schema 1) with such checkers, for specs labelled with
	// a guarantee that declares them.
	Whole bool
	// input returns a new zero input, for decoding a recorded one.
	input func() Check
}

// Check is a checker's input: its JSON-tagged fields are the parameters of
// one judgement, so that a spec records them beside the timeline and the
// report and `stsconform verify` judge the recording again. The inputs of
// this package's checkers implement it.
type Check interface {
	// Checker is the registered checker the input is for.
	Checker() *Checker
	// Judge judges the timeline: nil when the guarantee held, Violations,
	// an *EvidenceError when the timeline lacks what the guarantee is
	// about, or another error for an input that cannot be judged.
	Judge(tl timeline.Timeline) error
	// String says what is judged, e.g. "scale-down from 3 to 1 replicas".
	String() string
}

// Checkers lists every checker the guarantees declare, in their order.
func Checkers() []*Checker {
	var out []*Checker
	seen := map[string]bool{}
	for _, g := range declared {
		for _, c := range g.Checkers {
			if !seen[c.Name] {
				seen[c.Name] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// CheckerNames are the names of Checkers, for help and completion.
func CheckerNames() []string {
	var out []string
	for _, c := range Checkers() {
		out = append(out, c.Name)
	}
	return out
}

// LookupChecker returns the declared checker of that name.
func LookupChecker(name string) (*Checker, bool) {
	for _, c := range Checkers() {
		if c.Name == name {
			return c, true
		}
	}
	return nil, false
}

// Zero is a new zero input of the checker.
func (c *Checker) Zero() Check { return c.input() }

// Decode reads a recorded input. A field the input does not have is an
// error, so that a mistyped override is not silently ignored.
func (c *Checker) Decode(raw json.RawMessage) (Check, error) {
	in := c.input()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(in); err != nil {
		return nil, fmt.Errorf("input of %s (fields %s): %w", c.Name, strings.Join(c.Fields(), ", "), err)
	}
	return in, nil
}

// Fields are the JSON names of the checker's input fields.
func (c *Checker) Fields() []string {
	t := reflect.TypeOf(c.input()).Elem()
	var out []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// Recorder keeps the checks a spec made; *timeline.Recorder is one.
type Recorder interface {
	RecordCheck(timeline.Check)
}

// Record is check c of tl as it is written beside the recording: the
// checker, the input, and tl's window (cut with Timeline.Since, or whole).
// expect is "" for a guarantee that must hold, timeline.Violated for a
// contrast case that must break it.
func Record(tl timeline.Timeline, c Check, expect string) (timeline.Check, error) {
	input, err := json.Marshal(c)
	if err != nil {
		return timeline.Check{}, fmt.Errorf("recording a check of %s: %w", c.Checker().Name, err)
	}
	since, through := tl.Window()
	return timeline.Check{Checker: c.Checker().Name, Since: since, Through: through, Input: input, Expect: expect}, nil
}

// Judge judges tl with c and records the check with rec, whatever the
// verdict: a failed check is evidence too.
func Judge(rec Recorder, tl timeline.Timeline, c Check) error {
	return judge(rec, tl, c, "")
}

// JudgeViolated is Judge for a contrast case (Parallel pod management
// judged by an OrderedReady checker): it returns nil when c finds
// violations, and an error saying what it found instead, a pass or
// missing evidence, which proves nothing about the contrast.
func JudgeViolated(rec Recorder, tl timeline.Timeline, c Check) error {
	return contrast(c, judge(rec, tl, c, timeline.Violated))
}

func judge(rec Recorder, tl timeline.Timeline, c Check, expect string) error {
	verdict := c.Judge(tl)
	record, err := Record(tl, c, expect)
	if err != nil {
		return errors.Join(verdict, err)
	}
	rec.RecordCheck(record)
	return verdict
}

// contrast turns the verdict of a check that must find violations into
// nil when it did.
func contrast(c Check, verdict error) error {
	var vs Violations
	switch {
	case errors.As(verdict, &vs):
		return nil
	case verdict == nil:
		return fmt.Errorf("%s: %s held, but this contrast case must break it", c.Checker().Rule.Name, c)
	}
	return fmt.Errorf("%s must find violations in this contrast case, and found no verdict: %w", c.Checker().Name, verdict)
}

// Rejudged is one recorded check judged again.
type Rejudged struct {
	Record timeline.Check
	// Check is the decoded input; nil when Err says why there is none.
	Check Check
	// Verdict is the checker's verdict on the recorded window.
	Verdict error
	// Err says why the record could not be judged: a checker this build
	// does not know, an input that does not decode, or one out of the
	// recording's range (a *timeline.InconsistentError).
	Err error
}

// Rejudge judges a recorded check again on the whole recording it was
// written with: the same checker, input and window.
func Rejudge(whole timeline.Timeline, rc timeline.Check) Rejudged {
	return RejudgeWith(whole, rc, rc.Input)
}

// RejudgeWith is Rejudge with another input, such as the recorded one with
// some fields overridden.
func RejudgeWith(whole timeline.Timeline, rc timeline.Check, input json.RawMessage) Rejudged {
	r := Rejudged{Record: rc}
	c, ok := LookupChecker(rc.Checker)
	if !ok {
		r.Err = fmt.Errorf("the timeline records a check by %q, which is not one of this stsconform's checkers (%s)", rc.Checker, strings.Join(CheckerNames(), ", "))
		return r
	}
	if r.Check, r.Err = c.Decode(input); r.Err != nil {
		return r
	}
	// Before judging: a checker's work follows its input's counts. Pods
	// the recording lacks are the verdict the checker would reach; any
	// other value out of range the recorder cannot have written, as the
	// spec judged within the recording (verify refuses its own flags'
	// values before).
	if err := InRange(whole, r.Check); err != nil {
		var lacking *EvidenceError
		if errors.As(err, &lacking) {
			r.Verdict = lacking
		} else {
			r.Err = &timeline.InconsistentError{Index: -1, Reason: "the recorded check by " + rc.Checker + ": " + err.Error()}
		}
		return r
	}
	r.Verdict = r.Check.Judge(rc.Window(whole))
	return r
}

// Problem is nil when the check reached what the spec required of it (its
// guarantee held, or a contrast case broke it), and otherwise the error to
// report: the verdict (its first line names the rule), or why it could not
// be judged.
func (r Rejudged) Problem() error {
	switch {
	case r.Err != nil:
		return r.Err
	case r.Record.Expect == timeline.Violated:
		return contrast(r.Check, r.Verdict)
	}
	if ids, ok := r.Record.KnownIssueIDs(); ok {
		return knownProblem(r.Verdict, ids)
	}
	switch {
	case r.Record.Expect != "":
		return fmt.Errorf("the timeline records a check by %s expecting %q, which is neither held (\"\") nor %q", r.Record.Checker, r.Record.Expect, timeline.Violated)
	}
	return r.Verdict
}
