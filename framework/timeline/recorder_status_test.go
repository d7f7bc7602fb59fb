package timeline

import (
	"errors"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/utils/ptr"
)

func hasStatus(cond func(SetStatus) bool) func(Timeline) bool {
	return func(tl Timeline) bool {
		for _, s := range tl.Statuses {
			if cond(s) {
				return true
			}
		}
		return false
	}
}

func observedStatus(gen int64, available int32) func(*appsv1.StatefulSet) {
	return func(s *appsv1.StatefulSet) {
		s.Status.ObservedGeneration = gen
		s.Status.Replicas, s.Status.ReadyReplicas, s.Status.AvailableReplicas = *s.Spec.Replicas, available, available
		s.Status.CurrentReplicas, s.Status.UpdatedReplicas = available, available
		s.Status.CurrentRevision, s.Status.UpdateRevision = "rev1", "rev1"
	}
}

// The recorder starts before the set exists (as specs start it): the set's
// creation, each status the controller writes and its deletion are
// recorded among the pod events, and an update that changes nothing a
// status holds (an annotation) is not.
func TestRecorderRecordsTheSetsStatuses(t *testing.T) {
	a := newFakeAPI(t)
	ctx := testContext(t)
	r := mustStart(ctx, t, a)

	rvCreated := a.createSet("web", 2)
	waitFor(ctx, t, r, "the set's creation", hasStatus(func(s SetStatus) bool { return s.ResourceVersion == rvCreated }))
	a.create("web-0", "rev1")
	a.update("web-0", run("10.0.0.7"))
	a.update("web-0", setReady(true, epoch))
	waitFor(ctx, t, r, "web-0 Ready", hasEvent(Ready, "web-0"))
	rvObserved := a.updateSet("web", observedStatus(1, 1))
	a.updateSet("web", func(s *appsv1.StatefulSet) { s.Annotations = map[string]string{"touched": "1"} })
	rvPartition := a.updateSet("web", func(s *appsv1.StatefulSet) {
		s.Generation = 2
		s.Spec.MinReadySeconds = 10
		s.Spec.UpdateStrategy.RollingUpdate = &appsv1.RollingUpdateStatefulSetStrategy{Partition: ptr.To[int32](1)}
	})
	rvDeleted := a.removeSet("web")
	tl := waitFor(ctx, t, r, "the set's deletion", hasStatus(func(s SetStatus) bool { return s.Deleted }))

	var got []string
	for _, s := range tl.Statuses {
		if s.ObservedAt.IsZero() {
			t.Errorf("ObservedAt not set on %v", s)
		}
		got = append(got, strings.Replace(s.String(), " observed="+stamp(s.ObservedAt), "", 1))
	}
	want := []string{
		"status after #0 rv=" + rvCreated + " generation=0/1 replicas=0/2 ready=0 available=0 current=0 updated=0",
		"status after #3 rv=" + rvObserved + " generation=1/1 replicas=2/2 ready=1 available=1 current=1 updated=1 currentRevision=rev1 updateRevision=rev1",
		"status after #3 rv=" + rvPartition + " generation=1/2 replicas=2/2 ready=1 available=1 current=1 updated=1 currentRevision=rev1 updateRevision=rev1 minReadySeconds=10 partition=1",
		"status after #3 rv=" + rvDeleted + " generation=1/2 replicas=2/2 ready=1 available=1 current=1 updated=1 currentRevision=rev1 updateRevision=rev1 minReadySeconds=10 partition=1 deleted",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("statuses:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !tl.Statuses[1].Observed() || tl.Statuses[2].Observed() {
		t.Errorf("Observed: %v then %v, want true then false", tl.Statuses[1].Observed(), tl.Statuses[2].Observed())
	}
	if !strings.Contains(tl.Render(), "status after #3 rv="+rvObserved) {
		t.Errorf("Render lacks the statuses:\n%s", tl.Render())
	}
}

// A set that exists when recording starts is its baseline status, after
// the baseline pods.
func TestRecorderRecordsAnExistingSetAsBaseline(t *testing.T) {
	a := newFakeAPI(t)
	ctx := testContext(t)
	a.createSet("web", 1)
	rv := a.updateSet("web", observedStatus(1, 1))
	a.create("web-0", "rev1")

	r := mustStart(ctx, t, a)
	tl := r.Snapshot()
	if len(tl.Statuses) != 1 {
		t.Fatalf("statuses = %v, want the listed one", tl.Statuses)
	}
	if s := tl.Statuses[0]; !s.Baseline || s.After != 1 || s.ResourceVersion != rv || s.AvailableReplicas != 1 {
		t.Errorf("baseline status = %v, want after #1, rv %s, available 1, baseline", s, rv)
	}
	rvScaled := a.updateSet("web", func(s *appsv1.StatefulSet) { s.Spec.Replicas = ptr.To[int32](3); s.Generation = 2 })
	tl = waitFor(ctx, t, r, "the scale-up", hasStatus(func(s SetStatus) bool { return s.ResourceVersion == rvScaled }))
	if s := tl.Statuses[1]; s.Baseline || s.SpecReplicas != 3 {
		t.Errorf("status after the List = %v", s)
	}
	if got := tl.Observations(); len(got) != 1 || got[0].ResourceVersion != rvScaled {
		t.Errorf("Observations = %v, want only the scale-up", got)
	}
}

// A dropped set watch resumes from the last resourceVersion without
// losing a status.
func TestRecorderResumesTheSetWatch(t *testing.T) {
	a := newFakeAPI(t)
	ctx := testContext(t)
	r := mustStart(ctx, t, a)
	a.createSet("web", 1)
	waitFor(ctx, t, r, "the set", hasStatus(func(s SetStatus) bool { return true }))
	a.dropSetWatches()
	rv := a.updateSet("web", observedStatus(1, 1))
	tl := waitFor(ctx, t, r, "the status written while the watch was down", hasStatus(func(s SetStatus) bool { return s.ResourceVersion == rv }))
	if len(tl.Statuses) != 2 {
		t.Errorf("statuses = %v, want the creation and the update once each", tl.Statuses)
	}
	if err := r.Err(); err != nil {
		t.Errorf("Err = %v after a resumed watch", err)
	}
}

// A set watch that cannot resume ends the whole recording with the reason:
// from then on a missing status would look like one never written.
func TestRecorderEndsWhenTheSetWatchFails(t *testing.T) {
	a := newFakeAPI(t)
	ctx := testContext(t)
	r := mustStart(ctx, t, a)
	a.createSet("web", 1)
	waitFor(ctx, t, r, "the set", hasStatus(func(s SetStatus) bool { return true }))
	a.expireSets()
	err := r.WaitFor(ctx, func(Timeline) bool { return false })
	if err == nil || !strings.Contains(err.Error(), "statefulset watch failed") {
		t.Fatalf("WaitFor = %v, want the set watch's failure", err)
	}
	if errors.Is(err, ErrStopped) {
		t.Errorf("WaitFor = %v, a failure, not a requested stop", err)
	}
	if r.Err() == nil {
		t.Errorf("Err = nil after the set watch failed")
	}
	a.create("web-0", "rev1")
	r.Stop()
	if got := r.Snapshot().Events; len(got) != 0 {
		t.Errorf("events recorded after the recording ended: %v", got)
	}
}
