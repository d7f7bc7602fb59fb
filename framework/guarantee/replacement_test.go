package guarantee

import (
	"testing"

	"github.com/stsconform/stsconform/framework/timeline"
)

// fail is the kubelet failing pod n (rejected at admission, evicted): the
// recorder's Failed event.
func (s *script) fail(n int) *script {
	s.phase[n] = "Failed"
	return s.emit(timeline.Failed, n)
}

// rejected is a pod the kubelet rejected, deleted by the controller.
func (s *script) rejected(n int) *script {
	return s.create(n, "r1").fail(n).terminating(n).deleted(n)
}

func failedWeb0() func(timeline.Timeline) error {
	return func(tl timeline.Timeline) error { return FailedReplacedInput{Pod: "web-0"}.Judge(tl) }
}

func TestFailedReplaced(t *testing.T) {
	runChecks(t, failedWeb0(), []checkCase{
		{
			name: "rejected twice, then runs",
			tl:   newScript().rejected(0).rejected(0).up(0, "r1").timeline(),
		},
		{
			name: "an evicted Ready pod replaced",
			tl:   newScript().up(0, "r1").fail(0).unready(0).terminating(0).deleted(0).up(0, "r1").timeline(),
		},
		{
			name:   "the Failed pod left in place",
			tl:     newScript().up(1, "r1").create(0, "r1").fail(0).timeline(),
			wantIn: []string{"failed pod replacement: web-0 uid=uid-0-1 failed and was never deleted", "offending event: #5 Failed web-0"},
		},
		{
			name:   "deleted but never recreated",
			tl:     newScript().rejected(0).timeline(),
			wantIn: []string{"failed pod replacement: web-0 uid=uid-0-1 failed and was deleted, but no web-0 was created after it", "#4 Deleted web-0"},
		},
		{
			name:   "recreated but never Ready",
			tl:     newScript().rejected(0).create(0, "r1").running(0).timeline(),
			wantIn: []string{"the last web-0 (uid=uid-0-2, after 1 failure(s)) never became Running and Ready", "#6 Running web-0"},
		},
		{
			name:   "the last one Ready, then deleted",
			tl:     newScript().rejected(0).up(0, "r1").down(0).timeline(),
			wantIn: []string{"the last web-0 (uid=uid-0-2, after 1 failure(s)) never became Running and Ready"},
		},
		{
			name:   "no failure recorded",
			tl:     newScript().up(0, "r1").timeline(),
			lacks:  true,
			wantIn: []string{"failed pod replacement: evidence lacks a Failed incarnation of web-0: none of its 1 incarnation(s) was seen in phase Failed"},
		},
		{
			name:   "empty recording",
			tl:     newScript().timeline(),
			lacks:  true,
			wantIn: []string{"evidence lacks pod web-0: the timeline holds 0 events for it; it holds no events at all"},
		},
	})
}

func TestReplacements(t *testing.T) {
	for _, c := range []struct {
		name string
		tl   timeline.Timeline
		want int
	}{
		{"none yet", newScript().create(0, "r1").fail(0).terminating(0).timeline(), 0},
		{"deleted, not yet recreated", newScript().rejected(0).timeline(), 0},
		{"once", newScript().rejected(0).create(0, "r1").timeline(), 1},
		{"twice", newScript().rejected(0).rejected(0).create(0, "r1").timeline(), 2},
		{"another pod's", newScript().rejected(1).create(1, "r1").timeline(), 0},
		{"deleted without failing", newScript().up(0, "r1").down(0).up(0, "r1").timeline(), 0},
	} {
		if got := Replacements(c.tl, "web-0"); got != c.want {
			t.Errorf("%s: Replacements = %d, want %d", c.name, got, c.want)
		}
	}
}
