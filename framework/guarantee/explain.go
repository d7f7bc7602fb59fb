package guarantee

import (
	"errors"
	"fmt"
	"strings"
)

// Explain formats a failed check for a person: the first line names the
// rule and the problem (the pod, the event), the lines below hold the
// evidence. It finds a checker's error inside wrapping and appends the
// wrapper's own words as context; any other error is returned as its
// message; nil is "".
//
// Specs need not call it to get this text: Gomega's Succeed prints it
// (see FormattedGomegaError). It is for Fail, reports and logs.
func Explain(err error) string {
	if err == nil {
		return ""
	}
	var text string
	var vs Violations
	var ev *EvidenceError
	switch {
	case errors.As(err, &vs):
		text = vs.Error()
	case errors.As(err, &ev):
		text = ev.Error()
	default:
		return err.Error()
	}
	if outer := err.Error(); outer != text {
		context, _, _ := strings.Cut(outer, "\n")
		text += fmt.Sprintf("\ncontext: %s", strings.TrimSuffix(context, ":"))
	}
	return text
}

// FormattedGomegaError makes Gomega's Succeed matcher print Explain's text
// as the whole failure, instead of "Expected success, but got an error:"
// and a dump of the slice. Gomega finds the method by its name, so this
// package needs no Gomega import.
func (vs Violations) FormattedGomegaError() string { return Explain(vs) }

// GomegaString replaces Gomega's dump of the value after the message in
// matchers other than Succeed (HaveOccurred, MatchError).
func (vs Violations) GomegaString() string {
	return fmt.Sprintf("%d violation(s), explained above", len(vs))
}

// FormattedGomegaError: see Violations.FormattedGomegaError.
func (e *EvidenceError) FormattedGomegaError() string { return Explain(e) }

// GomegaString: see Violations.GomegaString.
func (e *EvidenceError) GomegaString() string { return "missing evidence, explained above" }

// Cause is a checker's verdict as the cause of a failed wait, its first
// line: a checker that finds nothing leaves the wait's own message to
// speak.
func Cause(verdict error) string {
	if verdict == nil {
		return "the recording so far breaks no rule; the wait below failed on its own"
	}
	return Explain(verdict)
}
