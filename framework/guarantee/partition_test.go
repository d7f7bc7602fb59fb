package guarantee

import (
	"strings"
	"testing"

	"github.com/stsconform/stsconform/framework/timeline"
)

func fourUp() *script {
	return threeUp().up(3, "r1")
}

func partitioned(in PartitionInput) func(timeline.Timeline) error {
	return func(tl timeline.Timeline) error { return PartitionHeld(tl, in) }
}

func TestPartitionHeld(t *testing.T) {
	in := PartitionInput{Replicas: 4, Partition: 2, OldRevision: "r1", OpenNote: "update", CloseNote: "lowered"}
	runChecks(t, partitioned(in), []checkCase{
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
			name:   "no update note",
			tl:     fourUp().replace(3, "r2").note("lowered").timeline(),
			lacks:  true,
			wantIn: []string{`partitioned update: evidence lacks the start of the window: none of the timeline's 1 notes is "update"`},
		},
		{
			name:   "no lowering note",
			tl:     fourUp().note("update").replace(3, "r2").timeline(),
			lacks:  true,
			wantIn: []string{"evidence lacks the lowering of the partition"},
		},
		{
			name:   "empty recording",
			tl:     newScript().note("update").note("lowered").timeline(),
			lacks:  true,
			wantIn: []string{"evidence lacks pods web-0..web-3: the timeline holds 0 events for them"},
		},
		{
			name:   "nothing updated in the window",
			tl:     fourUp().replace(3, "r2").note("update").note("lowered").timeline(),
			lacks:  true,
			wantIn: []string{"evidence lacks the update: no pod from ordinal 2 to 3 was created on a revision other than r1 in the window after #18 through #18"},
		},
	})
}

func TestPartitionHeldWrongOldRevision(t *testing.T) {
	in := PartitionInput{Replicas: 4, Partition: 2, OldRevision: "r0", OpenNote: "update"}
	runChecks(t, partitioned(in), []checkCase{{
		name:   "pods below the partition were never on the revision given as old",
		tl:     fourUp().note("update").replace(3, "r2").timeline(),
		wantIn: []string{`partitioned update: web-0 (ordinal 0, below partition 2) was on revision "r1", not the old revision r0, when the window opened (after #12)`, `web-1 (ordinal 1, below partition 2) was on revision "r1"`},
	}})
}

func TestPartitionHeldRejectsBadInput(t *testing.T) {
	for _, in := range []PartitionInput{
		{Replicas: 4, Partition: 0, OldRevision: "r1", OpenNote: "u"},
		{Replicas: 4, Partition: 5, OldRevision: "r1", OpenNote: "u"},
		{Replicas: 4, Partition: 2, OpenNote: "u"},
		{Replicas: 4, Partition: 2, OldRevision: "r1"},
	} {
		if err := PartitionHeld(fourUp().note("u").timeline(), in); err == nil {
			t.Errorf("PartitionHeld(%+v) accepted", in)
		}
	}
	tl := fourUp().note("lowered").note("update").timeline()
	if err := PartitionHeld(tl, PartitionInput{Replicas: 4, Partition: 2, OldRevision: "r1", OpenNote: "update", CloseNote: "lowered"}); err == nil {
		t.Error("a lowering noted before the update accepted")
	}
}

func TestPartitionHeldCanary(t *testing.T) {
	in := PartitionInput{Replicas: 4, Partition: 4, OldRevision: "r1", OpenNote: "update", CloseNote: "lowered", ObservedNote: "observed"}
	runChecks(t, partitioned(in), []checkCase{
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
			name:   "no note that the controller observed the update",
			tl:     fourUp().note("update").note("lowered").timeline(),
			lacks:  true,
			wantIn: []string{`evidence lacks the controller's view of the update: no note "observed" inside the window after #12 through #12: partition 4 holds back every pod`},
		},
		{
			name:   "the controller's note after the window",
			tl:     fourUp().note("update").note("lowered").replace(3, "r2").note("observed").timeline(),
			lacks:  true,
			wantIn: []string{"evidence lacks the controller's view of the update"},
		},
	})
	if err := PartitionHeld(fourUp().timeline(), PartitionInput{Replicas: 4, Partition: 4, OldRevision: "r1", OpenNote: "update"}); err == nil {
		t.Error("a canary window without an observed note was accepted as input")
	}
}

// A phased roll-out is judged window by window: each lowering opens the
// next, so a pod updated one step early is caught in the window that held
// it back.
func TestPartitionHeldPhased(t *testing.T) {
	tl := fourUp().note("update").note("observed").note("to 2").replace(3, "r2").replace(2, "r2").
		note("to 1").replace(1, "r2").replace(0, "r2").note("to 0").timeline()
	steps := []PartitionInput{
		{Replicas: 4, Partition: 4, OldRevision: "r1", OpenNote: "update", ObservedNote: "observed", CloseNote: "to 2"},
		{Replicas: 4, Partition: 2, OldRevision: "r1", OpenNote: "to 2", CloseNote: "to 1"},
		{Replicas: 4, Partition: 1, OldRevision: "r1", OpenNote: "to 1", CloseNote: "to 0"},
	}
	for i, in := range steps[:2] {
		if err := PartitionHeld(tl, in); err != nil {
			t.Errorf("step %d (partition %d) rejected:\n%v", i, in.Partition, err)
		}
	}
	err := PartitionHeld(tl, steps[2])
	if err == nil || !strings.Contains(err.Error(), `web-0 (ordinal 0, below partition 1) was created on revision "r2"`) {
		t.Errorf("web-0 updated while the partition was 1: %v", err)
	}
}
