package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/timeline"
)

// inputFlag is a flag that sets a field of a checker's input: the first
// of keys that the checker's input has (--replicas is ordered-creation's
// --to, and rolling-update's replicas).
type inputFlag struct {
	name  string
	keys  []string
	isInt bool
	usage string
}

var inputFlags = []inputFlag{
	{"from", []string{"from"}, true, "replicas before the scale-down or the scale-up (0 for a new StatefulSet)"},
	{"to", []string{"to"}, true, "replicas after the scale-down or the scale-up; ordered-creation without it judges the pods the timeline shows"},
	{"replicas", []string{"replicas", "to"}, true, "replicas of the update; ordered-creation: the same as --to"},
	{"partition", []string{"partition"}, true, "the partition in force"},
	{"old", []string{"oldRevision"}, false, "the old revision"},
	{"new", []string{"newRevision"}, false, "the new revision"},
	{"pod", []string{"pod"}, false, "the pod held unready, or the pod that failed"},
	{"successor", []string{"successor"}, false, "the successor that must wait for the held pod"},
	{"release", []string{"release"}, true, "the seq the note of the held pod's release follows"},
	{"observed", []string{"observed"}, true, "the seq the note of the controller's observation follows"},
	{"open", []string{"open"}, true, "the seq the note opening the partition's window follows"},
	{"close", []string{"close"}, true, "the seq the note of the next lowering of the partition follows (0: the end of the recording)"},
}

// verifyFlags are what the command line says beyond the files: a checker,
// and overrides of its input and window.
type verifyFlags struct {
	checker string
	// overrides are the input flags given, by flag name, as typed.
	overrides map[string]string
	// set are --set FIELD=VALUE overrides of any input field.
	set []string
	// since, when set, replaces the window's start.
	since *int
}

func newVerifyCommand() *cobra.Command {
	var v verifyFlags
	var since int
	cmd := &cobra.Command{
		Use:   "verify [--guarantee CHECKER [flags]] TIMELINE.json|DIR...",
		Short: "Re-judge recorded timelines (from _artifacts/timelines) with the suite's own checkers",
		Long: `verify judges a recorded timeline again with the checkers the suite used, so
that an auditor can check the evidence offline. Every check a spec made is
written into its timeline file (the checker, its input and the window of the
recording it judged); without flags verify judges each of them again. A
directory stands for every timeline in it (an artifacts directory: its
timelines/). It exits non-zero when a check does not reach the verdict the
spec required, when a timeline lacks the pods or the events a guarantee is
about (an empty or truncated recording proves nothing), and when nothing was
judged at all.

--guarantee CHECKER judges only that checker's recorded checks, its flags
overriding their input (--since their window, --set FIELD=VALUE any field);
on a timeline that recorded none (one written before checks were recorded),
the flags are the whole input. The checkers and the flags of their inputs:
` + checkerHelp(),
		Example: `  stsconform verify _artifacts                                    # every recorded check of a run
  stsconform verify _artifacts/timelines/<spec>--web.json
  stsconform verify --guarantee rolling-update --partition 1 TIMELINE.json
  stsconform verify --guarantee ordered-creation --from 3 --to 10 TIMELINE.json
  stsconform verify --guarantee ordered-termination --from 3 --to 0 TIMELINE.json
  stsconform verify --guarantee scale-down-halt --pod web-0 --from 3 --to 1 --since SEQ --observed SEQ --release SEQ TIMELINE.json
  stsconform verify --guarantee failed-replaced --pod web-0 TIMELINE.json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			v.overrides = map[string]string{}
			cmd.Flags().Visit(func(f *pflag.Flag) {
				switch {
				case f.Name == "since":
					v.since = &since
				case f.Name != "guarantee" && f.Name != "set":
					v.overrides[f.Name] = f.Value.String()
				}
			})
			return verify(cmd.OutOrStdout(), v, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&v.checker, "guarantee", "", "the checker to judge with: one of "+strings.Join(guarantee.CheckerNames(), ", "))
	for _, in := range inputFlags {
		if in.isInt {
			f.Int(in.name, 0, in.usage)
		} else {
			f.String(in.name, "", in.usage)
		}
	}
	f.IntVar(&since, "since", 0, "judge only events after this seq (earlier live pods are baseline); a scale-down's is the seq its note follows")
	f.StringArrayVar(&v.set, "set", nil, "FIELD=VALUE: set any field of the checker's input (its JSON name; VALUE as JSON, or else a string), for fields no flag above names")
	_ = cmd.RegisterFlagCompletionFunc("guarantee", cobra.FixedCompletions(guarantee.CheckerNames(), cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// checkerHelp lists each checker with what it judges and its flags.
func checkerHelp() string {
	var b strings.Builder
	for _, c := range guarantee.Checkers() {
		var flags []string
		for _, field := range c.Fields() {
			for _, in := range inputFlags {
				if slices.Contains(in.keys, field) {
					flags = append(flags, "--"+in.name)
					break
				}
			}
		}
		fmt.Fprintf(&b, "  %s (%s): %s\n", c.Name, strings.Join(flags, " "), c.Judges)
	}
	return b.String()
}

// verify prints a line per check that reached the verdict its spec
// required and returns an error for the first that did not, listing the
// others, so that the exit status carries them. The error starts with the
// rule, as the suite's failures do.
func verify(w io.Writer, v verifyFlags, args []string) error {
	var c *guarantee.Checker
	if v.checker != "" {
		var ok bool
		if c, ok = guarantee.LookupChecker(v.checker); !ok {
			return fmt.Errorf("--guarantee must be one of %v (got %q)", guarantee.CheckerNames(), v.checker)
		}
	} else if len(v.overrides) > 0 || len(v.set) > 0 || v.since != nil {
		return fmt.Errorf("--%s needs --guarantee: it sets the input of one checker", firstFlag(v))
	}
	files, err := timelineFiles(args)
	if err != nil {
		return err
	}
	var failures []error
	judged := 0
	for _, file := range files {
		tl, err := timeline.ReadFile(file)
		if err != nil {
			failures = append(failures, err)
			continue
		}
		checks, err := toJudge(tl, c, v, file)
		if err != nil {
			return err
		}
		if len(checks) == 0 {
			fmt.Fprintf(w, "%s/%s: %s\n", tl.Namespace, tl.StatefulSet, noChecks(tl, file))
			continue
		}
		for _, j := range checks {
			judged++
			r := guarantee.RejudgeWith(tl, j.record, j.input)
			if r.Err != nil {
				failures = append(failures, fmt.Errorf("%w\njudged: %s", r.Err, file))
				continue
			}
			window := j.record.Window(tl)
			what := fmt.Sprintf("%s%s, %d events", r.Check, describeWindow(j.record, tl), len(window.Events))
			if p := r.Problem(); p != nil {
				failures = append(failures, fmt.Errorf("%w\njudged: %s/%s, %s of %s", p, tl.Namespace, tl.StatefulSet, what, file))
				continue
			}
			verdict := "held"
			if j.record.Expect == timeline.Violated {
				verdict = "broke, as this contrast case must"
			}
			if ids, known := j.record.KnownIssueIDs(); known && r.Verdict != nil {
				first, _, _ := strings.Cut(r.Verdict.Error(), "\n")
				verdict = fmt.Sprintf("did not hold, showing only known upstream bug %s (%s)", strings.Join(ids, ", "), first)
			}
			fmt.Fprintf(w, "%s/%s: %s %s: %s\n", tl.Namespace, tl.StatefulSet, j.record.Checker, verdict, what)
		}
	}
	switch {
	case len(failures) == 1:
		return failures[0]
	case len(failures) > 1:
		var rest []string
		for _, f := range failures[1:] {
			first, _, _ := strings.Cut(f.Error(), "\n")
			rest = append(rest, "  "+first)
		}
		return fmt.Errorf("%w\n%d more check(s) or file(s) failed:\n%s", failures[0], len(failures)-1, strings.Join(rest, "\n"))
	case judged == 0:
		return fmt.Errorf("nothing judged: the %d timeline(s) record no check%s; pass --guarantee CHECKER and its flags to judge one", len(files), checkerSuffix(v))
	}
	return nil
}

func checkerSuffix(v verifyFlags) string {
	if v.checker == "" {
		return ""
	}
	return " of " + v.checker
}

// job is one check to judge: its record (checker and window) and the
// input to judge it with.
type job struct {
	record timeline.Check
	input  json.RawMessage
}

// toJudge is what verify judges in tl: every recorded check; with a
// checker, its recorded checks with the overrides, or, when it recorded
// none, one check of the whole recording with the overrides as its input.
// An override the recording cannot bear (a seq past its end, more pods
// than it holds) is refused before any checker spans it.
func toJudge(tl timeline.Timeline, c *guarantee.Checker, v verifyFlags, file string) ([]job, error) {
	var out []job
	if c == nil {
		for _, rc := range tl.Checks {
			out = append(out, job{rc, rc.Input})
		}
		return out, nil
	}
	if v.since != nil && (*v.since < 0 || *v.since > tl.LastSeq()) {
		return nil, fmt.Errorf("--since %d is out of range: a seq of %s, 0..%d (its last event)", *v.since, file, tl.LastSeq())
	}
	var recorded []timeline.Check
	for _, rc := range tl.Checks {
		if rc.Checker == c.Name {
			recorded = append(recorded, rc)
		}
	}
	if len(recorded) == 0 {
		recorded = []timeline.Check{{Checker: c.Name, Through: tl.LastSeq(), Input: json.RawMessage("{}")}}
	}
	for _, rc := range recorded {
		if v.since != nil {
			rc.Since = *v.since
			rc.Through = max(rc.Through, rc.Since)
		}
		input, setBy, err := override(c, rc.Input, v.overrides, v.set)
		if err != nil {
			return nil, err
		}
		if err := overrideInRange(tl, c, input, setBy, file); err != nil {
			return nil, err
		}
		out = append(out, job{rc, input})
	}
	return out, nil
}

// overrideInRange refuses, naming its flag, an override out of the
// recording's range (guarantee.InRange); a recorded field out of range is
// the rejudged check's to report.
func overrideInRange(tl timeline.Timeline, c *guarantee.Checker, input json.RawMessage, setBy map[string]string, file string) error {
	in, err := c.Decode(input)
	if err != nil {
		return err
	}
	var bad *guarantee.RangeError
	if err := guarantee.InRange(tl, in); errors.As(err, &bad) {
		flag, given := setBy[bad.Field]
		switch {
		case !given:
		case bad.Lacks != nil:
			// It starts with the rule, as a verdict of missing evidence does.
			return fmt.Errorf("%w: %s (%s)", err, flag, file)
		default:
			return fmt.Errorf("%s: %w (%s)", flag, err, file)
		}
	}
	return nil
}

// sameValue tells whether two overrides (--to 3, --set to=3) give the
// same value.
func sameValue(a, b string) bool {
	value := func(s string) string {
		if rest, ok := strings.CutPrefix(s, "--set "); ok {
			_, v, _ := strings.Cut(rest, "=")
			return v
		}
		_, v, _ := strings.Cut(s, " ")
		return v
	}
	return value(a) == value(b)
}

// override sets the fields the flags and --set name in a recorded input;
// Two flags setting one field
// (--to and --replicas are both ordered-creation's to) to different
// values are refused, rather than one silently winning. setBy holds each
// override as typed ("--to 3", "--set to=3"), for messages.
func override(c *guarantee.Checker, input json.RawMessage, flags map[string]string, set []string) (json.RawMessage, map[string]string, error) {
	fields := map[string]any{}
	if err := json.Unmarshal(input, &fields); err != nil {
		return nil, nil, fmt.Errorf("recorded input of %s: %w", c.Name, err)
	}
	setBy := map[string]string{}
	for _, kv := range set {
		key, value, ok := strings.Cut(kv, "=")
		if !ok || !slices.Contains(c.Fields(), key) {
			return nil, nil, fmt.Errorf("--set %q: want FIELD=VALUE with a field of %s's input (%s)", kv, c.Name, strings.Join(c.Fields(), ", "))
		}
		var v any
		if json.Unmarshal([]byte(value), &v) != nil {
			v = value
		}
		fields[key] = v
		setBy[key] = "--set " + kv
	}
	for _, in := range inputFlags {
		value, given := flags[in.name]
		if !given {
			continue
		}
		i := slices.IndexFunc(in.keys, func(k string) bool { return slices.Contains(c.Fields(), k) })
		if i < 0 {
			return nil, nil, fmt.Errorf("--%s does not apply to %s (its input: %s)", in.name, c.Name, strings.Join(c.Fields(), ", "))
		}
		key, this := in.keys[i], "--"+in.name+" "+value
		if other, both := setBy[key]; both && !sameValue(other, this) {
			return nil, nil, fmt.Errorf("%s and %s both set %s's %s: give one", other, this, c.Name, key)
		}
		setBy[key] = this
		if in.isInt {
			n, err := strconv.Atoi(value)
			if err != nil {
				return nil, nil, fmt.Errorf("--%s: %w", in.name, err)
			}
			fields[key] = n
		} else {
			fields[key] = value
		}
	}
	raw, err := json.Marshal(fields)
	return raw, setBy, err
}

// describeWindow says which events a check judged, when not all of them.
func describeWindow(rc timeline.Check, tl timeline.Timeline) string {
	var parts []string
	if rc.Since > 0 {
		parts = append(parts, fmt.Sprintf("after #%d", rc.Since))
	}
	if rc.Through < tl.LastSeq() {
		parts = append(parts, fmt.Sprintf("through #%d", rc.Through))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (events " + strings.Join(parts, " ") + ")"
}

// noChecks says why a timeline has nothing to judge.
func noChecks(tl timeline.Timeline, file string) string {
	if tl.SchemaVersion < 2 {
		return fmt.Sprintf("%s records no checks: schema %d, written before stsconform recorded them; judge it with --guarantee CHECKER and its flags", file, tl.SchemaVersion)
	}
	return file + " records no checks: its spec judged none of it"
}

// timelineFiles expands directories into the timeline files in them: an
// artifacts directory's timelines/, or the *.json of the directory itself.
func timelineFiles(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("reading timeline: %w", err)
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		dir := a
		if sub := filepath.Join(a, "timelines"); isDir(sub) {
			dir = sub
		}
		files, err := filepath.Glob(filepath.Join(dir, "*.json"))
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("no timeline files (*.json) in %s", dir)
		}
		slices.Sort(files)
		out = append(out, files...)
	}
	if len(out) == 0 {
		return nil, errors.New("verify needs a timeline file or a directory of them")
	}
	return out, nil
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// firstFlag names one of the overrides, for a message.
func firstFlag(v verifyFlags) string {
	for _, in := range inputFlags {
		if _, ok := v.overrides[in.name]; ok {
			return in.name
		}
	}
	if len(v.set) > 0 {
		return "set"
	}
	return "since"
}
