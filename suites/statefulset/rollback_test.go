//go:build e2e

package statefulset_test

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
)

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
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(3))
		rec := e.record(ctx, set)
		before := e.deploy(ctx, set, svc)
		v1 := before.Status.CurrentRevision

		By("updating to v2")
		e.setImage(ctx, rec, set.Name, "", images.WebV1, images.WebV2)
		updated := e.waitRolledOut(ctx, set.Name)
		v2 := updated.Status.UpdateRevision
		Expect(v2).NotTo(Equal(v1))
		waitTimeline(ctx, rec, t.PodReady, "every pod on v2 and Ready", guarantee.RolledOut(guarantee.RollingUpdateInput{Replicas: 3, OldRevision: v1, NewRevision: v2}))
		history, err := statefulset.History(ctx, e.c.Kube, updated)
		Expect(err).NotTo(HaveOccurred())
		AddReportEntry("rollout history before undo", statefulset.HistoryLines(history))

		By("undoing the rollout: the previous revision's template is patched back")
		mark := rec.Snapshot().LastSeq()
		to, err := statefulset.RollBack(ctx, e.c.Kube, updated)
		Expect(err).NotTo(HaveOccurred())
		rec.Mark("rollout undo to " + to.String())
		Expect(to.Name).To(Equal(v1), "the previous revision is not the one the set was created with: %v", history)
		Expect(to.Image).To(Equal(e.image(images.WebV1)))
		after := e.waitRolledOut(ctx, set.Name)
		Expect(after.Status.UpdateRevision).To(Equal(v1), "the rolled-back template got a revision other than the original one")

		By("proving pods went back from the highest ordinal down, one at a time")
		in := guarantee.RollingUpdateInput{Replicas: 3, OldRevision: v2, NewRevision: v1}
		tl := waitTimeline(ctx, rec, t.PodReady, "every pod back on v1 and Ready", guarantee.RolledOut(in))
		expectHeld(rec, tl.Since(mark), in)
		Expect(e.revisions(ctx, set)).To(HaveEach(v1))
		for i := 0; i < 3; i++ {
			Expect(e.exec(ctx, statefulset.PodName(set.Name, i), "cat", "/www/version")).To(Equal("1"))
		}

		By("proving the undo reused v1's ControllerRevision, renumbered newest")
		rolledBack := e.recordRevisions(ctx, after)
		AddReportEntry("observation: rollout history after undo", strings.Join(statefulset.HistoryLines(rolledBack), "; "))
		Expect(statefulset.RollBackReused(history, rolledBack, to)).To(Succeed())
	})

	// Upstream's "should perform rolling updates and roll backs of template
	// modifications with PVCs": the update, then the rollback by setting
	// the old image again (as upstream does; the spec above undoes with
	// `kubectl rollout undo`), with a volumeClaimTemplate. Each pod, every
	// one replaced twice, must mount its very own claim (by UID) and read
	// back what it wrote before the update.
	//
	// Deployed; three writes; updated and its Ready on the timeline; rolled
	// back and its Ready on the timeline; three reads.
	It("rolls an update and its rollback through pods with claims, each pod keeping its own claim and data", Label(guarantee.Storage.Label), SpecTimeout(t.Budget(t.Deploy(), 3*t.Exec, t.Deploy(), t.PodReady, t.Deploy(), t.PodReady, 3*t.Exec)), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "rollback-claims")
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(3), statefulset.WithVolumeClaim("10Mi", e.storageClass))
		rec := e.record(ctx, set)
		before := e.deploy(ctx, set, svc)
		v1 := before.Status.CurrentRevision
		pods := statefulset.PodNames(set.Name, 3)
		claims := e.ownClaims(ctx, statefulset.ClaimTemplate, pods, nil)
		for _, pod := range pods {
			e.exec(ctx, pod, "sh", "-c", "echo "+pod+" > "+statefulset.DataDir+"/identity && sync")
		}

		By("updating to v2: each pod replaced keeps its claim")
		mark := e.setImage(ctx, rec, set.Name, "", images.WebV1, images.WebV2)
		updated := e.waitRolledOut(ctx, set.Name)
		v2 := updated.Status.UpdateRevision
		Expect(v2).NotTo(Equal(v1))
		in := guarantee.RollingUpdateInput{Replicas: 3, OldRevision: v1, NewRevision: v2}
		tl := waitTimeline(ctx, rec, t.PodReady, "every pod on v2 and Ready", guarantee.RolledOut(in))
		expectHeld(rec, tl.Since(mark), in)
		e.ownClaims(ctx, statefulset.ClaimTemplate, pods, claims)

		By("rolling back to v1's image: the pods go back to v1's revision, each with its claim")
		mark = e.setImage(ctx, rec, set.Name, "rollback: ", images.WebV2, images.WebV1)
		after := e.waitRolledOut(ctx, set.Name)
		Expect(after.Status.UpdateRevision).To(Equal(v1), "the rolled-back template got a revision other than the original one")
		back := guarantee.RollingUpdateInput{Replicas: 3, OldRevision: v2, NewRevision: v1}
		tl = waitTimeline(ctx, rec, t.PodReady, "every pod back on v1 and Ready", guarantee.RolledOut(back))
		expectHeld(rec, tl.Since(mark), back)
		e.ownClaims(ctx, statefulset.ClaimTemplate, pods, claims)
		for _, pod := range pods {
			Expect(e.exec(ctx, pod, "cat", statefulset.DataDir+"/identity")).To(Equal(pod), "data of %s after the update and the rollback", pod)
		}
	})
})
