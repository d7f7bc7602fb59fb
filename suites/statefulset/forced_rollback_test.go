//go:build e2e

package statefulset_test

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
	"github.com/stsconform/stsconform/framework/timeline"
)

// Documented (Forced rollback): "If you update the Pod template to a
// configuration that never becomes Running and Ready ..., StatefulSet will
// stop the rollout and wait. ... After reverting the template, you must
// also delete any Pods that StatefulSet had already attempted to run with
// the bad configuration. StatefulSet will then begin to recreate the Pods
// using the reverted template." The spec follows that procedure and
// asserts what the page says of it, no more: the rollout stops, and once
// the template is reverted and the stuck pod deleted the set converges on
// the reverted template.
var _ = Describe("StatefulSet forced rollback", Label(guarantee.Conformance, guarantee.RollingUpdate.Label, guarantee.Rollback), func() {
	t := cfg.Timeouts
	// Deployed; the broken update observed and web-2 seen on it; the
	// stall held; the revert observed; the set rolled back.
	It("stops a rollout whose pod never becomes Ready, and recovers on the reverted template once that pod is deleted", SpecTimeout(t.Budget(t.Deploy(), t.ControllerObserve, t.PodReady, t.HoldObserved, t.ControllerObserve, t.SetReady)), func(ctx SpecContext) {
		const replicas = 3
		e := newSpecEnv(ctx, "forced-rollback")
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(replicas))
		rec := e.record(ctx, set)
		good := e.deploy(ctx, set, svc)
		goodRev := good.Status.CurrentRevision

		By("updating to a template whose pod runs but never becomes Ready")
		broken := rec.Mark("template -> web-2 held unready (its readiness probe never passes)")
		_, err := statefulset.Update(ctx, e.c.Kube, e.ns, set.Name, statefulset.WithHeld(statefulset.PodName(set.Name, 2)))
		failOn(err)
		badRev := e.waitObserved(ctx, set.Name).Status.UpdateRevision
		Expect(badRev).NotTo(Equal(goodRev), "the controller observed the broken template but kept updateRevision %s", goodRev)
		// Only the controller creates web-2 after the change, on updateRevision.
		waitTimeline(ctx, rec, t.PodReady, "web-2 running on the broken revision", timeline.Has(timeline.Running, statefulset.PodName(set.Name, 2), broken))

		By("the rollout stops: no other pod is replaced")
		failOn(rec.HoldsFor(ctx, t.HoldObserved, func(tl timeline.Timeline) string {
			for _, p := range tl.PodsWith(broken, timeline.Terminating) {
				if p != statefulset.PodName(set.Name, 2) {
					return "forced rollback: " + p + " began terminating while web-2, updated to the broken template, was not Ready; the rollout must stop and wait"
				}
			}
			return ""
		}))

		By("reverting the template, then deleting the pods run with the bad configuration")
		revert := rec.Mark("template reverted")
		_, err = statefulset.Update(ctx, e.c.Kube, e.ns, set.Name, func(s *appsv1.StatefulSet) { s.Spec.Template = *good.Spec.Template.DeepCopy() })
		failOn(err)
		revertedRev := e.waitObserved(ctx, set.Name).Status.UpdateRevision
		rec.Mark("deleting the pods of the broken revision " + badRev)
		stuck, err := statefulset.DeletePodsOn(ctx, e.c.Kube, good, badRev)
		failOn(err)
		AddReportEntry("observation: forced rollback", fmt.Sprintf("deleted by hand, as documented: %v", stuck))

		By("the set converges on the reverted template")
		in := guarantee.RollingUpdateInput{Replicas: replicas, NewRevision: revertedRev}
		tl := waitTimeline(ctx, rec, t.SetReady, "every pod on the reverted revision and Ready", guarantee.RolledOut(in))
		expectHeld(rec, tl.Since(revert), in)
		e.waitRolledOut(ctx, set.Name)
		Expect(revertedRev).To(Equal(goodRev), "the reverted template is the first one, so its revision %s must be reused", goodRev)
		Expect(e.revisions(ctx, set)).To(HaveEach(revertedRev))
	})
})
