package guarantee

import (
	"strings"
	"testing"

	"github.com/stsconform/stsconform/framework/timeline"
)

func update(in RollingUpdateInput) func(timeline.Timeline) error {
	return func(tl timeline.Timeline) error { return in.Judge(tl) }
}

func TestRollingUpdateFull(t *testing.T) {
	in := RollingUpdateInput{Replicas: 3, Partition: 0, OldRevision: "r1", NewRevision: "r2"}
	runChecks(t, update(in), []checkCase{
		{
			name: "descending, one at a time, each Ready before the next",
			tl:   threeUp().replace(2, "r2").replace(1, "r2").replace(0, "r2").timeline(),
		},
		{
			name: "started from a baseline",
			tl: newScript().asBaseline(true).up(0, "r1").up(1, "r1").up(2, "r1").asBaseline(false).
				replace(2, "r2").replace(1, "r2").replace(0, "r2").timeline(),
		},
		{
			name: "deleting 1 before the updated 2 is Ready",
			tl: threeUp().down(2).create(2, "r2").running(2).down(1).ready(2).up(1, "r2").
				replace(0, "r2").timeline(),
			wantIn: []string{"web-1 (ordinal 1, revision r1) began terminating while successor(s) web-2 were not yet on revision r2",
				"web-2 uid=uid-2-2 revision=r2 phase=Running ready=false"},
		},
		{
			name:   "two pods terminating concurrently",
			tl:     threeUp().terminating(2).terminating(1).deleted(2).deleted(1).up(2, "r2").up(1, "r2").replace(0, "r2").timeline(),
			wantIn: []string{"web-1 (ordinal 1, revision r1) began terminating while successor(s) web-2", "web-2 uid=uid-2-1 revision=r1 phase=Running ready=true terminating"},
		},
		{
			name:   "ascending order",
			tl:     threeUp().replace(0, "r2").replace(1, "r2").replace(2, "r2").timeline(),
			wantIn: []string{"web-0 (ordinal 0, revision r1) began terminating while successor(s) web-1, web-2", "web-1 (ordinal 1, revision r1)"},
		},
		{
			name:   "update left unfinished",
			tl:     threeUp().replace(2, "r2").replace(1, "r2").timeline(),
			wantIn: []string{"web-0 (ordinal 0) is not on revision r2 and Running and Ready", "revision=r1"},
		},
		{
			name:   "updated pod never became Ready",
			tl:     threeUp().replace(2, "r2").replace(1, "r2").down(0).create(0, "r2").running(0).timeline(),
			wantIn: []string{"web-0 (ordinal 0) is not on revision r2", "ready=false"},
		},
	})
}

func TestRollingUpdateRefusesMissingEvidence(t *testing.T) {
	in := RollingUpdateInput{Replicas: 3, Partition: 0, OldRevision: "r1", NewRevision: "r2"}
	updated := threeUp().replace(2, "r2").replace(1, "r2").replace(0, "r2")
	end := len(updated.events)
	runChecks(t, update(in), []checkCase{
		{
			name:   "empty timeline",
			tl:     newScript().timeline(),
			lacks:  true,
			wantIn: []string{"rolling update: evidence lacks pods web-0..web-2: the timeline holds 0 events for them"},
		},
		{
			name:   "window opened after the update was done",
			tl:     updated.timeline().Since(end),
			lacks:  true,
			wantIn: []string{"rolling update: evidence lacks the update: no pod from ordinal 0 to 2 was seen being created on revision r2"},
		},
		{
			name:   "no update happened at all: a violation, not missing evidence",
			tl:     threeUp().timeline(),
			wantIn: []string{"rolling update: at the end of the timeline (#9) web-0 (ordinal 0) is not on revision r2"},
		},
	})
}

func TestRollingUpdateWithPartition(t *testing.T) {
	in := RollingUpdateInput{Replicas: 3, Partition: 2, OldRevision: "r1", NewRevision: "r2"}
	runChecks(t, update(in), []checkCase{
		{
			name: "only ordinals at or above the partition updated",
			tl:   threeUp().replace(2, "r2").timeline(),
		},
		{
			name: "a pod below the partition restarted on the old revision is not an update",
			tl:   threeUp().replace(2, "r2").unready(0).ready(0).timeline(),
		},
		{
			name:   "update touching an ordinal below the partition",
			tl:     threeUp().replace(2, "r2").replace(1, "r2").timeline(),
			wantIn: []string{"web-1 (ordinal 1) is below partition 2 but began terminating", "web-1 (ordinal 1) is below partition 2 but has the new revision r2"},
		},
		{
			name:   "pod below the partition recreated on the new revision",
			tl:     threeUp().replace(2, "r2").deleted(0).up(0, "r2").timeline(),
			wantIn: []string{"web-0 (ordinal 0) is below partition 2 but has the new revision r2", "web-0 (ordinal 0, below partition 2) is on revision r2, not the old revision r1"},
		},
	})
}

func TestRollingUpdateAfterPartitionLowered(t *testing.T) {
	// Partition 2 first, then 0: the whole timeline is a valid update to 0,
	// and the second phase alone (via Since) is too.
	s := threeUp().replace(2, "r2")
	mark := len(s.events)
	tl := s.replace(1, "r2").replace(0, "r2").timeline()
	in := RollingUpdateInput{Replicas: 3, Partition: 0, OldRevision: "r1", NewRevision: "r2"}
	if err := in.Judge(tl); err != nil {
		t.Errorf("whole timeline:\n%v", err)
	}
	if err := in.Judge(tl.Since(mark)); err != nil {
		t.Errorf("second phase only:\n%v", err)
	}
	in.Partition = 2
	if err := in.Judge(tl); err == nil {
		t.Error("checked against partition 2, the second phase must be reported")
	}
}

func TestRollingUpdateRejectsBadInput(t *testing.T) {
	for _, in := range []RollingUpdateInput{
		{Replicas: 0, NewRevision: "r2"},
		{Replicas: 3, Partition: -1, NewRevision: "r2"},
		{Replicas: 3},
		{Replicas: 3, OldRevision: "r2", NewRevision: "r2"},
	} {
		err := in.Judge(threeUp().timeline())
		if err == nil || !strings.HasPrefix(err.Error(), "rolling-update:") {
			t.Errorf("rolling-update %+v = %v", in, err)
		}
	}
}

func TestRolledOut(t *testing.T) {
	in := RollingUpdateInput{Replicas: 3, Partition: 1, OldRevision: "r1", NewRevision: "r2"}
	cases := []struct {
		name string
		s    *script
		want bool
	}{
		{"not started", threeUp(), false},
		{"last updated pod not Ready yet", threeUp().replace(2, "r2").down(1).create(1, "r2").running(1), false},
		{"done above the partition", threeUp().replace(2, "r2").replace(1, "r2"), true},
		{"done, then an updated pod terminating", threeUp().replace(2, "r2").replace(1, "r2").terminating(2), false},
	}
	for _, c := range cases {
		if got := RolledOut(in)(c.s.timeline()); got != c.want {
			t.Errorf("%s: RolledOut = %t, want %t", c.name, got, c.want)
		}
	}
}
