//go:build e2e

package statefulset_test

import (
	"context"
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/report"
	"github.com/stsconform/stsconform/framework/statefulset"
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
		set, svc := statefulset.New(e.ns, "web", image(images.WebV1), statefulset.WithReplicas(3))
		rec := e.record(ctx, set)
		before := e.deploy(ctx, set, svc)

		mark := rec.Mark("image " + image(images.WebV1) + " -> " + image(images.WebV2))
		_, err := statefulset.SetImage(ctx, clients.Kube, e.ns, set.Name, image(images.WebV2))
		failOn(err)
		after := waitRolledOut(ctx, e.ns, set.Name)
		Expect(after.Status.UpdateRevision).NotTo(Equal(before.Status.CurrentRevision))

		in := guarantee.RollingUpdateInput{Replicas: 3, OldRevision: before.Status.CurrentRevision, NewRevision: after.Status.UpdateRevision}
		// The status can run ahead of the watch: judge once the recorder
		// has seen the end of the update too.
		tl := waitTimeline(ctx, rec, cfg.Timeouts.PodReady, "every pod on the new revision and Ready", guarantee.RolledOut(in))
		expectHeld(rec, tl.Since(mark), in)
		for i := 0; i < 3; i++ {
			Expect(e.exec(ctx, statefulset.PodName(set.Name, i), "cat", "/www/version")).To(Equal("2"))
		}
		recordRevisions(ctx, after)
	})

	// Upstream's "canary updates and phased rolling updates" in one pass: a
	// partition equal to the replica count holds back every pod, each
	// lowering updates exactly the ordinals it reaches, and a pod deleted
	// below the partition comes back on the old revision.
	// Deployed; the canary observed and held; per lowering (2, 1, 0)
	// observed and the one or two pods it reaches Ready on the timeline;
	// web-0 deleted and its replacement Ready.
	It("updates only ordinals at or above the partition as it is lowered step by step, and restores a deleted pod below it on the old revision", Label(guarantee.Partition), SpecTimeout(t.Budget(t.Deploy(), t.ControllerObserve, t.HoldObserved, 3*(t.ControllerObserve+t.PodReady), t.PodReady)), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "partition")
		set, svc := statefulset.New(e.ns, "web", image(images.WebV1), statefulset.WithReplicas(4), statefulset.WithPartition(4))
		rec := e.record(ctx, set)
		before := e.deploy(ctx, set, svc)
		oldRev := before.Status.CurrentRevision

		By("canary: partition 4 of 4 holds back every pod")
		canaryMark := rec.Mark("partition 4: image " + image(images.WebV1) + " -> " + image(images.WebV2))
		_, err := statefulset.SetImage(ctx, clients.Kube, e.ns, set.Name, image(images.WebV2))
		failOn(err)
		staged := waitObserved(ctx, e.ns, set.Name)
		newRev := staged.Status.UpdateRevision
		Expect(newRev).NotTo(Equal(oldRev), "the controller observed the new template but kept updateRevision %s", oldRev)
		Expect(staged.Status.UpdatedReplicas).To(BeZero(), "partition 4 of 4 replicas: no pod may be on the update revision")
		observed := rec.Mark("the controller observed the update: updateRevision " + newRev)
		// A controller that ignored the partition would be replacing web-3
		// by now; the window must outlast its next steps, or the
		// replacement would land in the next window, where it is allowed.
		Consistently(ctx, terminatedPods(rec, canaryMark)).
			WithTimeout(cfg.Timeouts.HoldObserved).WithPolling(cfg.Timeouts.Poll).
			Should(BeEmpty(), "partitioned update: pods began terminating under partition 4 of 4 replicas, which holds back every pod")
		windows := []guarantee.PartitionHeldInput{{Partition: 4, Open: canaryMark, Observed: observed}}

		for _, partition := range []int{2, 1, 0} {
			By(fmt.Sprintf("lowering the partition to %d", partition))
			mark := rec.Mark(fmt.Sprintf("partition %d -> %d", windows[len(windows)-1].Partition, partition))
			windows[len(windows)-1].Close = mark
			_, err := statefulset.SetPartition(ctx, clients.Kube, e.ns, set.Name, int32(partition))
			failOn(err)
			waitObserved(ctx, e.ns, set.Name)
			in := guarantee.RollingUpdateInput{Replicas: 4, Partition: partition, OldRevision: oldRev, NewRevision: newRev}
			tl := waitTimeline(ctx, rec, cfg.Timeouts.PodReady, fmt.Sprintf("web-%d to web-3 on the new revision and Ready", partition), guarantee.RolledOut(in))
			expectHeld(rec, tl.Since(mark), in)
			if partition == 0 {
				break
			}
			windows = append(windows, guarantee.PartitionHeldInput{Partition: partition, Open: mark})
			if partition == 2 {
				By("deleting web-0, below the partition: it must come back on the old revision")
				deleteAndAwaitReplacement(ctx, e, rec, "web-0")
			}
			want := map[string]string{}
			for i := range 4 {
				want[statefulset.PodName(set.Name, i)] = oldRev
				if i >= partition {
					want[statefulset.PodName(set.Name, i)] = newRev
				}
			}
			Expect(podRevisions(ctx, set)).To(Equal(want), "pods' revisions with the partition at %d", partition)
		}
		Expect(podRevisions(ctx, set)).To(HaveEach(newRev))

		By("proving each window held the ordinals below its partition on the old revision")
		tl := rec.Snapshot()
		for _, w := range windows {
			w.Replicas, w.OldRevision = 4, oldRev
			expectHeld(rec, tl, w)
		}
		recordRevisions(ctx, staged)
	})
})

// Documented (kubectl rollout undo, StatefulSet revision history): undo
// restores the pod template of the previous revision, and the controller
// rolls pods back with the same rolling update; a template equal to an
// existing ControllerRevision's reuses it (its revision number becomes the
// newest) rather than creating a new one.
var _ = Describe("StatefulSet rollback", Label(guarantee.Conformance, guarantee.RollingUpdate.Label, guarantee.Rollback), func() {
	t := cfg.Timeouts
	// Deployed; updated to v2 and its Ready on the timeline; undone and
	// rolled out; every Ready on the timeline; three version checks.
	It("rolls back to the previous revision, reusing its ControllerRevision, from the highest ordinal down, one at a time", SpecTimeout(t.Budget(t.Deploy(), t.Deploy(), t.PodReady, t.Deploy(), t.PodReady, 3*t.Exec)), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "rollback")
		set, svc := statefulset.New(e.ns, "web", image(images.WebV1), statefulset.WithReplicas(3))
		rec := e.record(ctx, set)
		before := e.deploy(ctx, set, svc)
		v1 := before.Status.CurrentRevision

		By("updating to v2")
		rec.Mark("image " + image(images.WebV1) + " -> " + image(images.WebV2))
		_, err := statefulset.SetImage(ctx, clients.Kube, e.ns, set.Name, image(images.WebV2))
		failOn(err)
		updated := waitRolledOut(ctx, e.ns, set.Name)
		v2 := updated.Status.UpdateRevision
		Expect(v2).NotTo(Equal(v1))
		waitTimeline(ctx, rec, cfg.Timeouts.PodReady, "every pod on v2 and Ready", guarantee.RolledOut(guarantee.RollingUpdateInput{Replicas: 3, OldRevision: v1, NewRevision: v2}))
		history, err := statefulset.History(ctx, clients.Kube, updated)
		Expect(err).NotTo(HaveOccurred())
		AddReportEntry("rollout history before undo", historyLines(history))

		By("undoing the rollout: the previous revision's template is patched back")
		mark := rec.Snapshot().LastSeq()
		to, err := statefulset.RollBack(ctx, clients.Kube, updated)
		Expect(err).NotTo(HaveOccurred())
		rec.Mark("rollout undo to " + to.String())
		Expect(to.Name).To(Equal(v1), "the previous revision is not the one the set was created with: %v", history)
		Expect(to.Image).To(Equal(image(images.WebV1)))
		after := waitRolledOut(ctx, e.ns, set.Name)
		Expect(after.Status.UpdateRevision).To(Equal(v1), "the rolled-back template got a revision other than the original one")

		By("proving pods went back from the highest ordinal down, one at a time")
		in := guarantee.RollingUpdateInput{Replicas: 3, OldRevision: v2, NewRevision: v1}
		tl := waitTimeline(ctx, rec, cfg.Timeouts.PodReady, "every pod back on v1 and Ready", guarantee.RolledOut(in))
		expectHeld(rec, tl.Since(mark), in)
		Expect(podRevisions(ctx, set)).To(HaveEach(v1))
		for i := 0; i < 3; i++ {
			Expect(e.exec(ctx, statefulset.PodName(set.Name, i), "cat", "/www/version")).To(Equal("1"))
		}

		By("proving the undo reused v1's ControllerRevision, renumbered newest")
		rolledBack := recordRevisions(ctx, after)
		AddReportEntry("observation: rollout history after undo", strings.Join(historyLines(rolledBack), "; "))
		Expect(statefulset.RollBackReused(history, rolledBack, to)).To(Succeed())
	})
})

func podRevisions(ctx context.Context, set *appsv1.StatefulSet) map[string]string {
	GinkgoHelper()
	pods, err := statefulset.Pods(ctx, clients.Kube, set)
	Expect(err).NotTo(HaveOccurred())
	out := map[string]string{}
	for _, p := range pods {
		out[p.Name] = p.Labels[appsv1.StatefulSetRevisionLabel]
	}
	return out
}

// recordRevisions puts the set's rollout history (its ControllerRevisions,
// as `kubectl rollout history` lists them, with their images) in the report
// and returns it.
func recordRevisions(ctx context.Context, set *appsv1.StatefulSet) []statefulset.Revision {
	GinkgoHelper()
	history, err := statefulset.History(ctx, clients.Kube, set)
	Expect(err).NotTo(HaveOccurred())
	AddReportEntry(report.EntryRevisions, historyLines(history))
	Expect(len(history)).To(BeNumerically(">=", 2), "a rolling update leaves the old and new ControllerRevisions: %v", history)
	return history
}

func historyLines(history []statefulset.Revision) []string {
	lines := make([]string, 0, len(history))
	for _, r := range history {
		lines = append(lines, r.String())
	}
	return lines
}
