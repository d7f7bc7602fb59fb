package timeline

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
)

// fileTimeline is the file's shape; Timeline's own JSON methods go through
// it so that every version is read and the current one written.
type fileTimeline struct {
	SchemaVersion int             `json:"schemaVersion"`
	StatefulSet   string          `json:"statefulSet"`
	Namespace     string          `json:"namespace"`
	Events        []Event         `json:"events"`
	Notes         json.RawMessage `json:"notes,omitempty"`
	Checks        []Check         `json:"checks,omitempty"`
	Statuses      []SetStatus     `json:"statuses,omitempty"`
}

// MarshalJSON writes the current schema, whatever version the timeline was
// read from.
func (tl Timeline) MarshalJSON() ([]byte, error) {
	f := fileTimeline{SchemaVersion: SchemaVersion, StatefulSet: tl.StatefulSet, Namespace: tl.Namespace, Events: tl.Events, Checks: tl.Checks, Statuses: tl.Statuses}
	if len(tl.Notes) > 0 {
		notes, err := json.Marshal(tl.Notes)
		if err != nil {
			return nil, err
		}
		f.Notes = notes
	}
	return json.Marshal(f)
}

// UnmarshalJSON reads versions 2 and 3 as written (2 lacks statuses) and
// converts version 1: its
// notes were strings, "after #N: text" for what the test did and
// unanchored text for the recorder's own first note, which it wrote right
// after the List's baseline events.
func (tl *Timeline) UnmarshalJSON(data []byte) error {
	var f fileTimeline
	if err := json.Unmarshal(data, &f); err != nil {
		return err
	}
	if f.SchemaVersion == 0 {
		f.SchemaVersion = 1
	}
	out := Timeline{SchemaVersion: f.SchemaVersion, StatefulSet: f.StatefulSet, Namespace: f.Namespace, Events: f.Events, Checks: f.Checks, Statuses: f.Statuses}
	if f.SchemaVersion < 3 && len(f.Statuses) > 0 {
		return fmt.Errorf("a schema %d timeline cannot record statuses: schema 3 added them", f.SchemaVersion)
	}
	switch f.SchemaVersion {
	case 1:
		var notes []string
		if len(f.Notes) > 0 {
			if err := json.Unmarshal(f.Notes, &notes); err != nil {
				return fmt.Errorf("notes of a schema 1 timeline (no schemaVersion) must be strings: %w", err)
			}
		}
		if len(f.Checks) > 0 {
			return fmt.Errorf("a schema 1 timeline (no schemaVersion) cannot record checks: schema 2 added them")
		}
		out.Notes = legacyNotes(notes, leadingBaseline(f.Events))
	case 2, SchemaVersion:
		if len(f.Notes) > 0 {
			if err := json.Unmarshal(f.Notes, &out.Notes); err != nil {
				return fmt.Errorf("notes of a schema %d timeline must be {after, text}: %w", f.SchemaVersion, err)
			}
		}
	default:
		return fmt.Errorf("timeline schema version %d is not one this stsconform reads (1 to %d)", f.SchemaVersion, SchemaVersion)
	}
	*tl = out
	return nil
}

var legacyAnchor = regexp.MustCompile(`(?s)^after #(\d+): (.*)$`)

// legacyNotes converts version 1 notes; an unanchored one follows the
// baseline events, where the recorder wrote it.
func legacyNotes(notes []string, baseline int) []Note {
	var out []Note
	for _, n := range notes {
		note := Note{After: baseline, Text: n}
		if m := legacyAnchor.FindStringSubmatch(n); m != nil {
			if seq, err := strconv.Atoi(m[1]); err == nil {
				note = Note{After: seq, Text: m[2]}
			}
		}
		out = append(out, note)
	}
	return out
}

// leadingBaseline is the Seq of the last of the events the recorder's List
// produced, 0 for none.
func leadingBaseline(events []Event) int {
	n := 0
	for _, e := range events {
		if !e.Baseline {
			break
		}
		n = e.Seq
	}
	return n
}
