//go:build e2e

package statefulset_test

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/report"
	"github.com/stsconform/stsconform/framework/statefulset"
	"github.com/stsconform/stsconform/framework/timeline"
)

// Documented (Rolling Updates): "The StatefulSet controller will delete and
// recreate each Pod in the StatefulSet. It will proceed in the same order as
// Pod termination (from the largest ordinal to the smallest), updating each
// Pod one at a time", waiting for each updated Pod to be Running and Ready
// before updating its predecessor; with a partition, "all Pods with an
// ordinal that is greater than or equal to the partition will be updated",
// the others are not, even if deleted.
var _ = Describe("StatefulSet rolling update", Label(guarantee.Conformance, guarantee.RollingUpdate.Label), func() {
	t := cfg.Timeouts
	It("replaces pods from the highest ordinal down, one at a time, each after its successor is Ready", SpecTimeout(t.Budget(t.Deploy(), t.Deploy(), t.PodReady, 3*t.Exec)), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "rolling")
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(3))
		rec := e.record(ctx, set)
		before := e.deploy(ctx, set, svc)

		mark := rec.Mark("image " + e.image(images.WebV1) + " -> " + e.image(images.WebV2))
		_, err := statefulset.SetImage(ctx, e.c.Kube, e.ns, set.Name, e.image(images.WebV2))
		failOn(err)
		after := e.waitRolledOut(ctx, set.Name)
		Expect(after.Status.UpdateRevision).NotTo(Equal(before.Status.CurrentRevision))

		in := guarantee.RollingUpdateInput{Replicas: 3, OldRevision: before.Status.CurrentRevision, NewRevision: after.Status.UpdateRevision}
		// The status can run ahead of the watch: judge once the recorder
		// has seen the end of the update too.
		tl := waitTimeline(ctx, rec, t.PodReady, "every pod on the new revision and Ready", guarantee.RolledOut(in))
		expectHeld(rec, tl.Since(mark), in)
		for i := 0; i < 3; i++ {
			Expect(e.exec(ctx, statefulset.PodName(set.Name, i), "cat", "/www/version")).To(Equal("2"))
		}
		e.recordRevisions(ctx, after)
	})

	// Upstream's "canary updates and phased rolling updates" in one pass: a
	// partition equal to the replica count holds back every pod, each
	// lowering updates exactly the ordinals it reaches, and a pod deleted
	// below the partition comes back on the old revision.
	//
	// Deployed; the canary observed and held; per lowering (2, 1, 0)
	// observed and the one or two pods it reaches Ready on the timeline;
	// web-0 deleted and its replacement Ready.
	It("updates only ordinals at or above the partition as it is lowered step by step, and restores a deleted pod below it on the old revision", Label(guarantee.Partition), SpecTimeout(t.Budget(t.Deploy(), t.ControllerObserve, t.HoldObserved, 3*(t.ControllerObserve+t.PodReady), t.PodReady)), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "partition")
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(4), statefulset.WithPartition(4))
		rec := e.record(ctx, set)
		before := e.deploy(ctx, set, svc)
		oldRev := before.Status.CurrentRevision

		By("canary: partition 4 of 4 holds back every pod")
		canaryMark := rec.Mark("partition 4: image " + e.image(images.WebV1) + " -> " + e.image(images.WebV2))
		_, err := statefulset.SetImage(ctx, e.c.Kube, e.ns, set.Name, e.image(images.WebV2))
		failOn(err)
		staged := e.waitObserved(ctx, set.Name)
		newRev := staged.Status.UpdateRevision
		Expect(newRev).NotTo(Equal(oldRev), "the controller observed the new template but kept updateRevision %s", oldRev)
		Expect(staged.Status.UpdatedReplicas).To(BeZero(), "partition 4 of 4 replicas: no pod may be on the update revision")
		observed := rec.Mark("the controller observed the update: updateRevision " + newRev)
		// A controller that ignored the partition would be replacing web-3
		// by now; the window must outlast its next steps, or the
		// replacement would land in the next window, where it is allowed.
		failOn(rec.HoldsFor(ctx, t.HoldObserved, func(tl timeline.Timeline) string {
			if len(tl.PodsWith(canaryMark, timeline.Terminating, timeline.Deleted)) > 0 {
				return "partitioned update: pods began terminating under partition 4 of 4 replicas, which holds back every pod"
			}
			return ""
		}))
		windows := []guarantee.PartitionHeldInput{{Partition: 4, Open: canaryMark, Observed: observed}}

		for _, partition := range []int{2, 1, 0} {
			By(fmt.Sprintf("lowering the partition to %d", partition))
			mark := rec.Mark(fmt.Sprintf("partition %d -> %d", windows[len(windows)-1].Partition, partition))
			windows[len(windows)-1].Close = mark
			_, err := statefulset.SetPartition(ctx, e.c.Kube, e.ns, set.Name, int32(partition))
			failOn(err)
			e.waitObserved(ctx, set.Name)
			in := guarantee.RollingUpdateInput{Replicas: 4, Partition: partition, OldRevision: oldRev, NewRevision: newRev}
			tl := waitTimeline(ctx, rec, t.PodReady, fmt.Sprintf("web-%d to web-3 on the new revision and Ready", partition), guarantee.RolledOut(in))
			expectHeld(rec, tl.Since(mark), in)
			if partition == 0 {
				break
			}
			windows = append(windows, guarantee.PartitionHeldInput{Partition: partition, Open: mark})
			if partition == 2 {
				By("deleting web-0, below the partition: it must come back on the old revision")
				e.replacePod(ctx, rec, "web-0")
			}
			want := map[string]string{}
			for i := range 4 {
				want[statefulset.PodName(set.Name, i)] = oldRev
				if i >= partition {
					want[statefulset.PodName(set.Name, i)] = newRev
				}
			}
			Expect(e.revisions(ctx, set)).To(Equal(want), "pods' revisions with the partition at %d", partition)
		}
		Expect(e.revisions(ctx, set)).To(HaveEach(newRev))

		By("proving each window held the ordinals below its partition on the old revision")
		tl := rec.Snapshot()
		for _, w := range windows {
			w.Replicas, w.OldRevision = 4, oldRev
			expectHeld(rec, tl, w)
		}
		e.recordRevisions(ctx, staged)
	})
})

// recordRevisions puts the set's rollout history (its ControllerRevisions,
// as `kubectl rollout history` lists them, with their images) in the report
// and returns it.
func (e *specEnv) recordRevisions(ctx SpecContext, set *appsv1.StatefulSet) []statefulset.Revision {
	GinkgoHelper()
	history, err := statefulset.History(ctx, e.c.Kube, set)
	Expect(err).NotTo(HaveOccurred())
	AddReportEntry(report.EntryRevisions, statefulset.HistoryLines(history))
	Expect(len(history)).To(BeNumerically(">=", 2), "a rolling update leaves the old and new ControllerRevisions: %v", history)
	return history
}
