package timeline

import (
	"strconv"
	"strings"
)

// Render writes the timeline for a failure message: one line per event,
// then the notes with their anchors.
func (tl Timeline) Render() string {
	var b strings.Builder
	for _, e := range tl.Events {
		b.WriteString("  " + e.String() + "\n")
	}
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
