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

// Documented (Partitioned rolling updates): "All Pods with an ordinal that
// is less than the partition will not be updated, and, even if they are
// deleted, they will be recreated at the previous version." Scaling the
// set to zero deletes them all; scaled back, the pods below the partition
// must come back on the previous version, as when they are deleted one by
// one. Upstream's controller breaks it (guarantee.PartitionLostAtZero):
// where the recording shows exactly that bug the spec is not verified,
// naming it; anything else the partition checker finds fails it.
var _ = Describe("StatefulSet partition across a scale to zero", Label(guarantee.Conformance, guarantee.PartitionScaleToZero.Label, guarantee.Partition), func() {
	t := cfg.Timeouts
	// Deployed; the update observed and web-2 rolled; three pods gone;
	// three pods Ready again.
	It("recreates the pods below the partition on the old revision after a scale to 0 and back", SpecTimeout(t.Budget(t.Deploy(), t.ControllerObserve, t.SetReady, 3*t.PodGone, t.SetReady)), func(ctx SpecContext) {
		const replicas, partition = 3, 2
		e := newSpecEnv(ctx, "partition-scale")
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(replicas), statefulset.WithPartition(partition))
		rec := e.record(ctx, set)
		oldRev := e.deploy(ctx, set, svc).Status.CurrentRevision

		By("partition 2: web-2 updated, web-0 and web-1 kept")
		open := e.setImage(ctx, rec, set.Name, "partition 2: ", images.WebV1, images.WebV2)
		newRev := e.waitObserved(ctx, set.Name).Status.UpdateRevision
		Expect(newRev).NotTo(Equal(oldRev), "the controller observed the new template but kept updateRevision %s", oldRev)
		waitTimeline(ctx, rec, t.SetReady, "web-2 on the new revision and Ready",
			guarantee.RolledOut(guarantee.RollingUpdateInput{Replicas: replicas, Partition: partition, NewRevision: newRev}))
		// Held before the scale: what follows is then the scale's doing.
		Expect(e.revisions(ctx, set)).To(Equal(map[string]string{"web-0": oldRev, "web-1": oldRev, "web-2": newRev}), "pods' revisions with the partition at 2, before the scale to 0")

		By("scaling to 0, the update still pending below the partition")
		zero := rec.Mark("scaling 3 -> 0")
		_, err := statefulset.ScaleTo(ctx, e.c.Kube, e.ns, set.Name, 0)
		failOn(err)
		waitTimeline(ctx, rec, 3*t.PodGone, "every pod gone", timeline.PodsGone(zero, statefulset.PodNames(set.Name, replicas)...))

		By("scaling back to 3: web-0 and web-1 must come back on the old revision")
		up := rec.Mark("scaling 0 -> 3")
		_, err = statefulset.ScaleTo(ctx, e.c.Kube, e.ns, set.Name, replicas)
		failOn(err)
		var ready []timeline.Condition
		for _, p := range statefulset.PodNames(set.Name, replicas) {
			ready = append(ready, timeline.ReadyAgain(p, "", up))
		}
		tl := waitTimeline(ctx, rec, t.SetReady, "three pods Ready again", timeline.AllOf(ready...))
		expectHeldOrKnown(rec, tl, guarantee.PartitionHeldInput{Replicas: replicas, Partition: partition, OldRevision: oldRev, Open: open}, guarantee.PartitionScaleToZero)
		Expect(e.revisions(ctx, set)).To(Equal(map[string]string{"web-0": oldRev, "web-1": oldRev, "web-2": newRev}), "pods' revisions with the partition at 2 after the scale to 0 and back")
	})
})
