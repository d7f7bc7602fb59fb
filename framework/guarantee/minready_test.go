package guarantee

import (
	"testing"
	"time"

	"github.com/stsconform/stsconform/framework/timeline"
)

// minReadyRun is a set of two pods with minReadySeconds 10, OrderedReady:
// web-0 Ready at 2s, web-1 created at 12s and Ready at 14s. at moves
// events (by seq) to other seconds; statuses are appended by the case.
type minReadyRun struct {
	tl timeline.Timeline
}

func newMinReadyRun(created1 int) *minReadyRun {
	tl := newScript().up(0, "r1").up(1, "r1").timeline()
	tl.SchemaVersion = timeline.SchemaVersion
	seconds := []int{0, 1, 2, created1, created1 + 1, created1 + 2}
	for i := range tl.Events {
		e := &tl.Events[i]
		e.ObservedAt = epoch.Add(time.Duration(seconds[i]) * time.Second)
		if e.Kind == timeline.Created || e.Kind == timeline.Ready {
			e.ObjectTime = e.ObservedAt
		}
	}
	return &minReadyRun{tl: tl}
}

// status appends a status that arrived after event #after at second sec.
func (r *minReadyRun) status(after, sec int, available int32) *minReadyRun {
	r.tl.Statuses = append(r.tl.Statuses, timeline.SetStatus{After: after, ResourceVersion: "rv" + time.Duration(sec).String(),
		ObservedAt: epoch.Add(time.Duration(sec) * time.Second), Generation: 1, ObservedGeneration: 1,
		SpecReplicas: 2, Partition: -1, Replicas: 2, ReadyReplicas: available, AvailableReplicas: available})
	return r
}

func TestAvailableAfterMinReady(t *testing.T) {
	ordered := AvailableInput{MinReadySeconds: 10, Replicas: 2, OrderedReady: true}
	parallel := AvailableInput{MinReadySeconds: 10, Replicas: 2}
	good := func() *minReadyRun { return newMinReadyRun(12).status(3, 5, 0).status(3, 12, 1).status(6, 24, 2) }
	cases := []struct {
		in AvailableInput
		checkCase
	}{
		{ordered, checkCase{name: "counted after minReadySeconds", tl: good().tl}},
		// web-0 Ready at 2s counted by a status arriving at 5s.
		{ordered, checkCase{name: "counted early", tl: newMinReadyRun(12).status(3, 5, 1).status(6, 24, 2).tl,
			wantIn: []string{"availableReplicas=1, but only 0 pod(s) had been Ready for 10s", "web-0 Ready since 03:04:07 (3s before the status)"}}},
		{ordered, checkCase{name: "never all counted (#112066)", tl: newMinReadyRun(12).status(3, 12, 1).status(6, 60, 1).tl,
			wantIn: []string{"last status of the window reports availableReplicas=1 of 2"}}},
		{ordered, checkCase{name: "successor created before its predecessor was available", tl: newMinReadyRun(8).status(3, 12, 1).status(6, 24, 2).tl,
			wantIn: []string{"web-1 was created at 03:04:13, 6s after web-0 became Ready, before it had been Ready for 10s"}}},
		{parallel, checkCase{name: "Parallel creates without waiting", tl: newMinReadyRun(3).status(6, 20, 2).tl}},
		{parallel, checkCase{name: "no statuses (a schema 2 recording)", tl: newMinReadyRun(12).tl, wantIn: []string{"status updates", "schema 3"}, lacks: true}},
		{parallel, checkCase{name: "only the baseline status", tl: func() timeline.Timeline {
			r := newMinReadyRun(12).status(6, 30, 2)
			r.tl.Statuses[0].Baseline = true
			return r.tl
		}(), wantIn: []string{"none observed in it"}, lacks: true}},
		{parallel, checkCase{name: "no pods", tl: timeline.Timeline{StatefulSet: "web", Statuses: good().tl.Statuses}, wantIn: []string{"web-0..web-1"}, lacks: true}},
	}
	for _, c := range cases {
		runChecks(t, c.in.Judge, []checkCase{c.checkCase})
	}
}

// A pod whose readiness ended is no longer counted, except by a status the
// controller wrote from a view older than cacheLag.
func TestAvailableAfterMinReadyForgetsEndedReadiness(t *testing.T) {
	r := newMinReadyRun(12).status(3, 12, 1).status(6, 24, 2)
	tl := r.tl
	down := tl.Events[5]
	down.Seq, down.Kind, down.ObservedAt = 7, timeline.Unready, epoch.Add(30*time.Second)
	tl.Events = append(tl.Events, down)
	in := AvailableInput{MinReadySeconds: 10, Replicas: 2}
	lagging := tl
	lagging.Statuses = append(append([]timeline.SetStatus{}, tl.Statuses...), timeline.SetStatus{After: 7, ResourceVersion: "lag", ObservedAt: epoch.Add(32 * time.Second), Generation: 1, ObservedGeneration: 1, AvailableReplicas: 2})
	lagging.Statuses = append(lagging.Statuses, timeline.SetStatus{After: 7, ResourceVersion: "again", ObservedAt: epoch.Add(50 * time.Second), Generation: 1, ObservedGeneration: 1, AvailableReplicas: 2})
	runChecks(t, in.Judge, []checkCase{{name: "a stale status after web-1 went unready", tl: lagging,
		wantIn: []string{"status (rv again) reports availableReplicas=2, but only 1 pod(s)"}}})
}
