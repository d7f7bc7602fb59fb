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

// Documented: "Parallel pod management tells the StatefulSet controller to
// launch or terminate all Pods in parallel, and to not wait for Pods to
// become Running and Ready or completely terminated prior to launching or
// terminating another Pod." The contrast case of ordered creation.
var _ = Describe("StatefulSet parallel pod management", Label("Conformance", "Parallel"), func() {
	It("creates every pod without waiting for its predecessors to be Ready", SpecTimeout(cfg.Timeouts.SpecShort), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "parallel")
		set, svc := statefulset.New(e.ns, "web", image(images.WebV1), statefulset.WithReplicas(3), statefulset.WithParallel(), statefulset.WithHeld("web-0"))
		rec := e.record(ctx, set)
		e.create(ctx, set, svc)
		waitObserved(ctx, e.ns, set.Name)

		By("web-0 is held unready; web-1 and web-2 must still be created")
		tl := waitTimeline(ctx, rec, cfg.Timeouts.PodReady, "web-1 and web-2 created",
			allOf(has(timeline.Created, "web-1", 0), has(timeline.Created, "web-2", 0)))
		Expect(has(timeline.Ready, "web-0", 0)(tl)).To(BeFalse(), "web-0 was Ready, so the test proves nothing")
		Expect(guarantee.OrderedCreation(tl, 0, 3)).To(BeAssignableToTypeOf(guarantee.Violations{}),
			"Parallel creation should break the OrderedReady order with a violation, not for lack of evidence")

		waitTimeline(ctx, rec, cfg.Timeouts.PodReady, "web-0 Running", has(timeline.Running, "web-0", 0))
		e.exec(ctx, "web-0", "rm", statefulset.HoldFile)
		rec.Annotate("web-0 released")
		waitRolledOut(ctx, e.ns, set.Name)
		obs := guarantee.Concurrency(rec.Snapshot())
		AddReportEntry("observation: most pods not yet Ready at once with Parallel", obs.MaxNotReady)
	})
})
