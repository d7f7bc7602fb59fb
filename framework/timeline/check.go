package timeline

import (
	"encoding/json"
	"strings"
)

// Check is one check a spec made of a recording, as it is written into the
// timeline file: the registered checker (framework/guarantee), its input,
// and the window of the recording it judged. Judged again on
// Through(Through).Since(Since) of the file's timeline, with the same input,
// it must reach the same verdict.
type Check struct {
	Checker string `json:"checker"`
	// Since and Through bound the window (Timeline.Window): events after
	// Since, earlier live pods as baseline, up to Through, the last event
	// the spec had seen when it judged.
	Since   int `json:"since,omitempty"`
	Through int `json:"through"`
	// Input is the checker's input, as the checker's JSON-tagged input
	// struct encodes it.
	Input json.RawMessage `json:"input"`
	// Expect is what the spec required of the verdict: "" for a guarantee
	// that held, Violated for a contrast case that must break it (the
	// Parallel policy judged by an OrderedReady checker), KnownIssues(ids)
	// for one that held or showed only those upstream bugs.
	Expect string `json:"expect,omitempty"`
}

// Violated is Check.Expect of a check that must find violations.
const Violated = "violated"

// knownIssuesPrefix starts Check.Expect of a check that must hold, or
// show nothing but the named upstream bugs.
const knownIssuesPrefix = "held or known issues: "

// KnownIssues is Check.Expect of a check that must hold or show only the
// upstream bugs of ids (guarantee.KnownIssue IDs).
func KnownIssues(ids []string) string { return knownIssuesPrefix + strings.Join(ids, " ") }

// KnownIssueIDs are the bugs a KnownIssues expectation names; ok is false
// for any other expectation.
func (c Check) KnownIssueIDs() (ids []string, ok bool) {
	rest, ok := strings.CutPrefix(c.Expect, knownIssuesPrefix)
	if !ok {
		return nil, false
	}
	return strings.Fields(rest), true
}

// Window is the recording this check judged, cut from the whole one.
func (c Check) Window(whole Timeline) Timeline {
	return whole.Through(c.Through).Since(c.Since)
}
