package timeline

import (
	"fmt"
	"strconv"
	"strings"
)

// NoteAfter formats a note anchored among the events: the test's action
// came after event #seq and before #seq+1. Recorder.Annotate writes notes
// this way; checkers read the anchor back with NoteSeq to bound a window
// ("from the first event to the release") by what the test did.
func NoteAfter(seq int, text string) string {
	return fmt.Sprintf("after #%d: %s", seq, text)
}

// NoteSeq returns the Seq the first note with exactly this text follows;
// ok is false when no anchored note has that text.
func (tl Timeline) NoteSeq(text string) (seq int, ok bool) {
	for _, n := range tl.Notes {
		rest, found := strings.CutPrefix(n, "after #")
		if !found {
			continue
		}
		num, body, found := strings.Cut(rest, ": ")
		if !found || body != text {
			continue
		}
		if seq, err := strconv.Atoi(num); err == nil {
			return seq, true
		}
	}
	return 0, false
}
