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

		mark := e.setImage(ctx, rec, set.Name, "", images.WebV1, images.WebV2)
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
		canaryMark := e.setImage(ctx, rec, set.Name, "partition 4: ", images.WebV1, images.WebV2)
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

	// Upstream's "canary updates and phased rolling updates of template
	// modifications for partiton1 and delete pod-0" (without and with a
	// failing container): partition 1 of 3, web-0 deleted after the update
	// reached web-1 and web-2, and held Terminating by a finalizer, so the
	// controller sees it terminated (Failed, in the entry with a container
	// that exits 1 on SIGTERM) before it may replace it. The replacement
	// must be on the old revision, and no pod below the partition may leave
	// it at any moment of the recording.
	DescribeTable("restores a pod deleted below partition 1, and held terminating, on the old revision", Label(guarantee.Partition),
		func(ctx SpecContext, failing bool) {
			e := newSpecEnv(ctx, "partition-delete")
			opts := []statefulset.Option{statefulset.WithReplicas(3), statefulset.WithPartition(1)}
			if failing {
				opts = append(opts, statefulset.WithFailingOnTerm("web-0"))
			}
			set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), opts...)
			rec := e.record(ctx, set)
			before := e.deploy(ctx, set, svc)
			oldRev := before.Status.CurrentRevision

			By("holding web-0 in the API once it is deleted, with a finalizer")
			failOn(statefulset.AddPodFinalizer(ctx, e.c.Kube, e.ns, "web-0", statefulset.HoldFinalizer))
			// Whatever the spec reached: a pod left with the finalizer would
			// hold its namespace's deletion.
			DeferCleanup(func(ctx SpecContext) {
				failOn(statefulset.RemovePodFinalizer(ctx, e.c.Kube, e.ns, "web-0", statefulset.HoldFinalizer))
			}, NodeTimeout(t.Cleanup))

			By("partition 1: the update reaches web-2 and web-1 only")
			open := e.setImage(ctx, rec, set.Name, "partition 1: ", images.WebV1, images.WebV2)
			staged := e.waitObserved(ctx, set.Name)
			newRev := staged.Status.UpdateRevision
			Expect(newRev).NotTo(Equal(oldRev), "the controller observed the new template but kept updateRevision %s", oldRev)
			in := guarantee.RollingUpdateInput{Replicas: 3, Partition: 1, OldRevision: oldRev, NewRevision: newRev}
			tl := waitTimeline(ctx, rec, t.PodReady, "web-1 and web-2 on the new revision and Ready", guarantee.RolledOut(in))
			expectHeld(rec, tl.Since(open), in)

			By("deleting web-0, below the partition: it stays Terminating while the finalizer holds it")
			old := e.getPod(ctx, "web-0")
			mark := rec.Snapshot().LastSeq()
			failOn(statefulset.DeletePod(ctx, e.c.Kube, e.ns, "web-0"))
			rec.Mark("deleted web-0 (uid " + string(old.UID) + "), held by finalizer " + statefulset.HoldFinalizer)
			what, held := "web-0 Terminating", timeline.Has(timeline.Terminating, "web-0", mark)
			if failing {
				what = "web-0 Terminating and Failed (its " + statefulset.FailContainer + " container exits 1 on SIGTERM)"
				held = timeline.AllOf(held, timeline.Has(timeline.Failed, "web-0", mark))
			}
			waitTimeline(ctx, rec, t.PodGone, what, held)

			By("removing the finalizer: web-0 must come back on the old revision")
			failOn(statefulset.RemovePodFinalizer(ctx, e.c.Kube, e.ns, "web-0", statefulset.HoldFinalizer))
			rec.Mark("finalizer " + statefulset.HoldFinalizer + " removed from web-0")
			tl = waitTimeline(ctx, rec, t.PodReady, "a new web-0 Ready", timeline.ReadyAgain("web-0", string(old.UID), mark))
			Expect(e.revisions(ctx, set)).To(Equal(map[string]string{"web-0": oldRev, "web-1": newRev, "web-2": newRev}), "pods' revisions with the partition at 1")
			Expect(e.exec(ctx, "web-0", "cat", "/www/version")).To(Equal("1"), "the image web-0 came back with")
			expectHeld(rec, tl, guarantee.PartitionHeldInput{Replicas: 3, Partition: 1, OldRevision: oldRev, Open: open})
		},
		// Deployed; the update observed and its two pods Ready; web-0
		// terminated; its replacement Ready; one exec.
		Entry("without a failing container", SpecTimeout(t.Budget(t.Deploy(), t.ControllerObserve, t.PodReady, t.PodGone, t.PodReady, t.Exec)), false),
		Entry("with a container that exits 1 on SIGTERM", SpecTimeout(t.Budget(t.Deploy(), t.ControllerObserve, t.PodReady, t.PodGone, t.PodReady, t.Exec)), true),
	)
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
