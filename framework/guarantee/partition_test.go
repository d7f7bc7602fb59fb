package guarantee

import (
	"strings"
	"testing"

	"github.com/stsconform/stsconform/framework/timeline"
)

func fourUp() *script {
	return threeUp().up(3, "r1")
}

// window is a partition window named by the texts of the notes that bound
// it; partitioned passes their anchors, as the spec that wrote them does.
type window struct {
	in                    PartitionHeldInput
	open, close, observed string
}

func (w window) input(tl timeline.Timeline) PartitionHeldInput {
	in := w.in
	in.Open, in.Close, in.Observed = anchor(tl, w.open), anchor(tl, w.close), anchor(tl, w.observed)
	return in
}

func partitioned(w window) func(timeline.Timeline) error {
	return func(tl timeline.Timeline) error { return w.input(tl).Judge(tl) }
}

func TestPartitionHeld(t *testing.T) {
	w := window{in: PartitionHeldInput{Replicas: 4, Partition: 2, OldRevision: "r1"}, open: "update", close: "lowered"}
	runChecks(t, partitioned(w), []checkCase{
		{
			name: "only ordinals at or above the partition updated, the rest after the lowering",
			tl:   fourUp().note("update").replace(3, "r2").replace(2, "r2").note("lowered").replace(1, "r2").replace(0, "r2").timeline(),
		},
		{
			name: "a pod below the partition deleted and re-created on the old revision",
			tl:   fourUp().note("update").replace(3, "r2").replace(1, "r1").replace(2, "r2").note("lowered").timeline(),
		},
		{
			// What a spec that judged a snapshot taken when web-2 was Ready,
			// then marked again before lowering, would miss.
			name: "a pod below the partition updated between the staged check and the lowering",
			tl:   fourUp().note("update").replace(3, "r2").replace(2, "r2").replace(1, "r2").note("lowered").replace(0, "r2").timeline(),
			wantIn: []string{`partitioned update: web-1 (ordinal 1, below partition 2) was created on revision "r2", not the old revision r1 (window after #12 through #30)`,
				"offending event: #28 Created web-1"},
		},
		{
			name:   "a pod below the partition re-created on the new revision before any other update",
			tl:     fourUp().note("update").down(0).up(0, "r2").replace(3, "r2").replace(2, "r2").note("lowered").timeline(),
			wantIn: []string{`web-0 (ordinal 0, below partition 2) was created on revision "r2"`, "web-0: no live pod; last incarnation web-0 uid=uid-0-1"},
		},
		{
			name:   "a pod below the partition observed on another revision without a re-creation",
			tl:     fourUp().note("update").replace(3, "r2").relabel(0, "r9").note("lowered").timeline(),
			wantIn: []string{`web-0 (ordinal 0, below partition 2) was observed on revision "r9"`},
		},
		{
			name:   "no anchor of the update",
			tl:     fourUp().replace(3, "r2").note("lowered").timeline(),
			lacks:  true,
			wantIn: []string{`partitioned update: evidence lacks the start of the window: the input names none (the seq its note follows), so the window has no start`},
		},
		{
			name:   "empty recording",
			tl:     newScript().note("update").note("lowered").timeline(),
			lacks:  true,
			wantIn: []string{"evidence lacks the start of the window: the input names none"},
		},
		{
			name:   "nothing updated in the window",
			tl:     fourUp().replace(3, "r2").note("update").note("lowered").timeline(),
			lacks:  true,
			wantIn: []string{"evidence lacks the update: no pod from ordinal 2 to 3 was created on a revision other than r1 in the window after #18 through #18"},
		},
	})
	// Anchors the recording does not reach prove nothing either.
	tl := fourUp().note("update").replace(3, "r2").timeline()
	for name, in := range map[string]PartitionHeldInput{
		"the update":   {Replicas: 4, Partition: 2, OldRevision: "r1", Open: 40},
		"the lowering": {Replicas: 4, Partition: 2, OldRevision: "r1", Open: 12, Close: 40},
	} {
		err := in.Judge(tl)
		if err == nil || !strings.Contains(err.Error(), "the input names it after #40, but the timeline ends at #18") {
			t.Errorf("%s after the recording: %v", name, err)
		}
	}
}

func TestPartitionHeldWrongOldRevision(t *testing.T) {
	w := window{in: PartitionHeldInput{Replicas: 4, Partition: 2, OldRevision: "r0"}, open: "update"}
	runChecks(t, partitioned(w), []checkCase{{
		name:   "pods below the partition were never on the revision given as old",
		tl:     fourUp().note("update").replace(3, "r2").timeline(),
		wantIn: []string{`partitioned update: web-0 (ordinal 0, below partition 2) was on revision "r1", not the old revision r0, when the window opened (after #12)`, `web-1 (ordinal 1, below partition 2) was on revision "r1"`},
	}})
}

func TestPartitionHeldRejectsBadInput(t *testing.T) {
	tl := fourUp().note("u").replace(3, "r2").timeline()
	for _, in := range []PartitionHeldInput{
		{Replicas: 4, Partition: 0, OldRevision: "r1", Open: 12},
		{Replicas: 4, Partition: 5, OldRevision: "r1", Open: 12},
		{Replicas: 4, Partition: 2, Open: 12},
	} {
		if err := in.Judge(tl); err == nil || !strings.HasPrefix(err.Error(), "partition-held:") {
			t.Errorf("%+v: %v", in, err)
		}
	}
	if err := (PartitionHeldInput{Replicas: 4, Partition: 2, OldRevision: "r1", Open: 14, Close: 13}).Judge(tl); err == nil {
		t.Error("a lowering noted before the update accepted")
	}
}

func TestPartitionHeldCanary(t *testing.T) {
	w := window{in: PartitionHeldInput{Replicas: 4, Partition: 4, OldRevision: "r1"}, open: "update", close: "lowered", observed: "observed"}
	runChecks(t, partitioned(w), []checkCase{
		{
			name: "nothing updated while the partition equals the replicas",
			tl:   fourUp().note("update").note("observed").note("lowered").replace(3, "r2").timeline(),
		},
		{
			name:   "the highest ordinal updated under a partition that holds back every pod",
			tl:     fourUp().note("update").note("observed").replace(3, "r2").note("lowered").timeline(),
			wantIn: []string{`partitioned update: web-3 (ordinal 3, below partition 4) was created on revision "r2", not the old revision r1`},
		},
		{
			name:   "no anchor of the controller's observation",
			tl:     fourUp().note("update").note("lowered").timeline(),
			lacks:  true,
			wantIn: []string{`evidence lacks the controller's view of the update: no note of the controller's observation inside the window after #12 through #12 (observed: after #0): partition 4 holds back every pod`},
		},
		{
			name:   "the controller's note after the window",
			tl:     fourUp().note("update").note("lowered").replace(3, "r2").note("observed").timeline(),
			lacks:  true,
			wantIn: []string{"evidence lacks the controller's view of the update: no note of the controller's observation inside the window after #12 through #12 (observed: after #18)"},
		},
	})
}

// A phased roll-out is judged window by window: each lowering opens the
// next, so a pod updated one step early is caught in the window that held
// it back.
func TestPartitionHeldPhased(t *testing.T) {
	tl := fourUp().note("update").note("observed").note("to 2").replace(3, "r2").replace(2, "r2").
		note("to 1").replace(1, "r2").replace(0, "r2").note("to 0").timeline()
	r1 := func(partition int) PartitionHeldInput {
		return PartitionHeldInput{Replicas: 4, Partition: partition, OldRevision: "r1"}
	}
	steps := []window{
		{in: r1(4), open: "update", observed: "observed", close: "to 2"},
		{in: r1(2), open: "to 2", close: "to 1"},
		{in: r1(1), open: "to 1", close: "to 0"},
	}
	for i, w := range steps[:2] {
		if err := w.input(tl).Judge(tl); err != nil {
			t.Errorf("step %d (partition %d) rejected:\n%v", i, w.in.Partition, err)
		}
	}
	err := steps[2].input(tl).Judge(tl)
	if err == nil || !strings.Contains(err.Error(), `web-0 (ordinal 0, below partition 1) was created on revision "r2"`) {
		t.Errorf("web-0 updated while the partition was 1: %v", err)
	}
}
