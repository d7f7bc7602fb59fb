//go:build e2e

package statefulset_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
	"github.com/stsconform/stsconform/framework/timeline"
)

// Documented (apps/v1 StatefulSetStatus): "currentReplicas is the number of
// Pods created by the StatefulSet controller from the StatefulSet version
// indicated by currentRevision." "updatedReplicas is the number of Pods
// created by the StatefulSet controller from the StatefulSet version
// indicated by updateRevision." "readyReplicas is the number of pods
// created for this StatefulSet with a Ready Condition." Every status the
// controller writes during a partitioned update is judged against the
// pods recorded beside it (timeline schema 3).
var _ = Describe("StatefulSet status counters", Label(guarantee.Conformance, guarantee.StatusCounters.Label), func() {
	t := cfg.Timeouts
	// Deployed; the update observed, two pods rolled and the status
	// settled; the partition lowered, observed, two more rolled and settled.
	It("counts the recorded pods in every status it writes during a partitioned update", Label(guarantee.Partition), SpecTimeout(t.Budget(t.Deploy(), 2*(t.ControllerObserve+t.SetReady))), func(ctx SpecContext) {
		const replicas = 4
		e := newSpecEnv(ctx, "status-counters")
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(replicas), statefulset.WithPartition(2))
		rec := e.record(ctx, set)
		oldRev := e.deploy(ctx, set, svc).Status.CurrentRevision

		By("partition 2: web-3 and web-2 updated, web-0 and web-1 kept")
		mark := e.setImage(ctx, rec, set.Name, "partition 2: ", images.WebV1, images.WebV2)
		newRev := e.waitObserved(ctx, set.Name).Status.UpdateRevision
		Expect(newRev).NotTo(Equal(oldRev), "the controller observed the new template but kept updateRevision %s", oldRev)
		waitTimeline(ctx, rec, t.SetReady, "web-2 and web-3 on the new revision and a status counting 2 current, 2 updated",
			timeline.AllOf(guarantee.RolledOut(guarantee.RollingUpdateInput{Replicas: replicas, Partition: 2, NewRevision: newRev}), timeline.StatusHas(mark, timeline.Counted(2, 2))))

		By("partition 0: the rest updated")
		lowered := rec.Mark("partition 2 -> 0")
		_, err := statefulset.SetPartition(ctx, e.c.Kube, e.ns, set.Name, 0)
		failOn(err)
		e.waitObserved(ctx, set.Name)
		tl := waitTimeline(ctx, rec, t.SetReady, "every pod on the new revision and a status counting them",
			timeline.AllOf(guarantee.RolledOut(guarantee.RollingUpdateInput{Replicas: replicas, NewRevision: newRev}), timeline.StatusHas(lowered, timeline.Counted(replicas, replicas))))
		expectHeld(rec, tl.Since(mark), guarantee.StatusCountersInput{Replicas: replicas})
	})
})
