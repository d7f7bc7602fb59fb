package timeline

import (
	"strconv"
	"strings"
)

// Render writes the timeline for a failure message: one line per event,
// each set status after the event it followed, then the notes with their
// anchors.
func (tl Timeline) Render() string {
	var b strings.Builder
	statuses := tl.Statuses
	for _, e := range tl.Events {
		statuses = renderStatuses(&b, statuses, e.Seq)
		b.WriteString("  " + e.String() + "\n")
	}
	renderStatuses(&b, statuses, tl.LastSeq()+1)
	for _, n := range tl.Notes {
		b.WriteString("  note: " + n.String() + "\n")
	}
	return b.String()
}

// String is the note as version 1 files wrote it: "after #7: web-1
// released".
func (n Note) String() string {
	return "after #" + strconv.Itoa(n.After) + ": " + n.Text
}
