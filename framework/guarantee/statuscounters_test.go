package guarantee

import (
	"fmt"
	"testing"
	"time"

	"github.com/stsconform/stsconform/framework/timeline"
)

// countersRun is a partitioned update of three pods (partition 1, r1 ->
// r2) with its events 10 s apart, so that a status placed 1 s after event
// #k can only be explained by the moments that began at #k-1 and #k.
type countersRun struct{ tl timeline.Timeline }

func newCountersRun() *countersRun {
	s := newScript().asBaseline(true).up(0, "r1").up(1, "r1").up(2, "r1").asBaseline(false)
	// #10..#15 web-2 replaced, #16..#21 web-1 replaced.
	tl := s.replace(2, "r2").replace(1, "r2").timeline()
	tl.SchemaVersion = timeline.SchemaVersion
	for i := range tl.Events {
		tl.Events[i].ObservedAt = epoch.Add(time.Duration(tl.Events[i].Seq) * 10 * time.Second)
	}
	return &countersRun{tl: tl}
}

// status appends a status of generation 2 that arrived 1 s after event
// #after, with revisions r1 (current) and r2 (update).
func (r *countersRun) status(after int, replicas, ready, current, updated int32) *countersRun {
	return r.statusOf(after, 2, replicas, ready, current, updated)
}

func (r *countersRun) statusOf(after int, observed int64, replicas, ready, current, updated int32) *countersRun {
	r.tl.Statuses = append(r.tl.Statuses, timeline.SetStatus{After: after, ResourceVersion: fmt.Sprintf("s%d", len(r.tl.Statuses)+1),
		ObservedAt: epoch.Add(time.Duration(after)*10*time.Second + time.Second), Generation: 2, ObservedGeneration: observed,
		SpecReplicas: 3, Partition: 1, Replicas: replicas, ReadyReplicas: ready, AvailableReplicas: ready,
		CurrentReplicas: current, UpdatedReplicas: updated, CurrentRevision: "r1", UpdateRevision: "r2"})
	return r
}

// right is what a correct controller writes: web-2 terminating (#10),
// gone (#12), back on r2 and Ready (#15), then web-1 likewise (#16, #21).
func right() *countersRun {
	return newCountersRun().
		status(10, 3, 3, 2, 0). // terminating: a replica, neither current nor updated
		status(12, 2, 2, 2, 0).
		status(15, 3, 3, 2, 1).
		status(16, 3, 3, 1, 1).
		status(21, 3, 3, 1, 2)
}

func TestStatusCounters(t *testing.T) {
	in := StatusCountersInput{Replicas: 3}
	cases := []checkCase{
		{name: "counted right at every status", tl: right().tl},
		// Written from a view one event old (the informer lagging the
		// recorder): web-2 not yet seen Ready.
		{name: "lagging by one event", tl: newCountersRun().status(15, 3, 2, 2, 1).status(21, 3, 3, 1, 2).tl},
		{name: "a status of an older generation is not judged", tl: newCountersRun().status(15, 3, 3, 2, 1).statusOf(18, 1, 3, 3, 3, 3).status(21, 3, 3, 1, 2).tl},
		// #121397: pods below the partition counted as updated.
		{name: "updated counts pods below the partition", tl: newCountersRun().status(15, 3, 3, 2, 1).status(21, 3, 3, 1, 3).tl,
			wantIn: []string{"status (rv s2) reports replicas=3 ready=3 available=3 current=1 updated=3, but the pods gave replicas=3 ready=3 available=3 current=1 updated=2 when it arrived (after #21)", "web-0 revision=r1"}},
		{name: "current counts the updated pods", tl: newCountersRun().status(15, 3, 3, 3, 1).status(21, 3, 3, 1, 2).tl,
			wantIn: []string{"status (rv s1) reports replicas=3 ready=3 available=3 current=3 updated=1"}},
		// More than cacheLag behind: the view of #12 written after #15.
		{name: "stale beyond the cache lag", tl: newCountersRun().status(15, 2, 2, 2, 0).status(21, 3, 3, 1, 2).tl,
			wantIn: []string{"status (rv s1) reports replicas=2 ready=2 available=2 current=2 updated=0"}},
		{name: "never caught up", tl: newCountersRun().status(15, 3, 3, 2, 1).status(18, 2, 2, 1, 1).tl,
			wantIn: []string{"the last status of the window (rv s2) reports replicas=2 ready=2 available=2 current=1 updated=1, but the pods ended with replicas=3 ready=3 available=3 current=1 updated=2 (after #21)"}},
		{name: "no statuses", tl: newCountersRun().tl, wantIn: []string{"statuses of the current generation", "schema 3"}, lacks: true},
		{name: "no pods", tl: timeline.Timeline{StatefulSet: "web", Statuses: right().tl.Statuses}, wantIn: []string{"web-0..web-2"}, lacks: true},
	}
	runChecks(t, in.Judge, cases)
}

// availableReplicas is left to the minready checker when minReadySeconds
// delays it.
func TestStatusCountersLeavesAvailableToMinReady(t *testing.T) {
	r := newCountersRun().status(15, 3, 3, 2, 1).status(21, 3, 3, 1, 2)
	for i := range r.tl.Statuses {
		r.tl.Statuses[i].AvailableReplicas = 0
	}
	runChecks(t, StatusCountersInput{Replicas: 3}.Judge, []checkCase{{name: "available 0 with minReadySeconds 0", tl: r.tl,
		wantIn: []string{"available=0"}}})
	for i := range r.tl.Statuses {
		r.tl.Statuses[i].MinReadySeconds = 10
	}
	runChecks(t, StatusCountersInput{Replicas: 3}.Judge, []checkCase{{name: "available not compared with minReadySeconds 10", tl: r.tl}})
}
