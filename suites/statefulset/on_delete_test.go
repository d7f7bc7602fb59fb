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

// Documented (On Delete): "When a StatefulSet's .spec.updateStrategy.type
// is set to OnDelete, the StatefulSet controller will not automatically
// update the Pods in a StatefulSet. Users must manually delete Pods to
// cause the controller to create new Pods that reflect modifications made
// to a StatefulSet's .spec.template."
var _ = Describe("StatefulSet OnDelete update strategy", Label(guarantee.Conformance, guarantee.RollingUpdate.Label), func() {
	t := cfg.Timeouts
	// Deployed; the template change observed; the hold; three pods
	// deleted and each Ready again; every pod on the new revision.
	It("replaces no pod after a template change until it is deleted, and re-creates each deleted pod on the new revision", SpecTimeout(t.Budget(t.Deploy(), t.ControllerObserve, t.HoldObserved, 3*t.PodReady, t.PodReady)), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "on-delete")
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(3), statefulset.WithOnDelete())
		rec := e.record(ctx, set)
		before := e.deploy(ctx, set, svc)

		mark := e.setImage(ctx, rec, set.Name, "OnDelete: ", images.WebV1, images.WebV2)
		staged := e.waitObserved(ctx, set.Name)
		newRev := staged.Status.UpdateRevision
		Expect(newRev).NotTo(Equal(before.Status.CurrentRevision), "the controller observed the new template but kept updateRevision %s", newRev)

		By("proving no pod is replaced while none is deleted")
		failOn(rec.HoldsFor(ctx, t.HoldObserved, func(tl timeline.Timeline) string {
			if pods := tl.PodsWith(mark, timeline.Terminating, timeline.Deleted, timeline.Created); len(pods) > 0 {
				return "OnDelete: the controller replaced " + pods[0] + " after the template change although no pod was deleted"
			}
			return ""
		}))
		Expect(e.revisions(ctx, set)).To(HaveEach(before.Status.CurrentRevision), "OnDelete: pods left the old revision without being deleted")

		By("deleting each pod: it comes back on the new revision")
		deletes := rec.Mark("deleting web-2, web-1, web-0 one at a time")
		for _, pod := range []string{"web-2", "web-1", "web-0"} {
			e.replacePod(ctx, rec, pod)
		}
		in := guarantee.OnDeleteInput{Replicas: 3, NewRevision: newRev, Deletes: deletes}
		tl := waitTimeline(ctx, rec, t.PodReady, "every pod on the new revision and Ready",
			guarantee.RolledOut(guarantee.RollingUpdateInput{Replicas: 3, NewRevision: newRev}))
		expectHeld(rec, tl.Since(mark), in)
		for i := range 3 {
			Expect(e.exec(ctx, statefulset.PodName(set.Name, i), "cat", "/www/version")).To(Equal("2"))
		}
	})
})
