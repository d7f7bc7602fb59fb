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
// terminating another Pod." The contrast case of ordered creation and
// teardown, and upstream's "Burst scaling should run to completion even
// with unhealthy pods".
var _ = Describe("StatefulSet parallel pod management", Label(guarantee.Conformance, guarantee.Parallel.Label), func() {
	t := cfg.Timeouts
	// Observed; web-1 and web-2 Ready, web-0 Running; scaled down, web-1 and
	// web-2 Deleted; release; rolled out.
	It("creates and deletes pods without waiting for their predecessors to be Ready", SpecTimeout(t.Budget(t.ControllerObserve, t.PodReady, t.PodGone, t.Exec, t.Deploy())), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "parallel")
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(3), statefulset.WithParallel(), statefulset.WithHeld("web-0"))
		rec := e.record(ctx, set)
		e.create(ctx, set, svc)
		e.waitObserved(ctx, set.Name)

		By("web-0 is held unready; web-1 and web-2 must still be created")
		tl := waitTimeline(ctx, rec, t.PodReady, "web-1 and web-2 Ready while web-0 is held unready",
			timeline.AllOf(timeline.Has(timeline.Ready, "web-1", 0), timeline.Has(timeline.Ready, "web-2", 0), timeline.Has(timeline.Running, "web-0", 0)))
		Expect(timeline.Has(timeline.Ready, "web-0", 0)(tl)).To(BeFalse(), "web-0 was Ready, so the test proves nothing")
		expectViolated(rec, tl, guarantee.OrderedCreationInput{From: 0, To: 3},
			"Parallel creation should break the OrderedReady order with a violation, not for lack of evidence")
		obs := guarantee.Concurrency(tl)
		AddReportEntry("observation: most pods not yet Ready at once with Parallel", obs.MaxNotReady)

		By("scaling 3 -> 1 while web-0 is still unready: web-1 and web-2 must still be deleted")
		mark := rec.Mark("scaling 3 -> 1 with web-0 held unready")
		_, err := statefulset.ScaleTo(ctx, e.c.Kube, e.ns, set.Name, 1)
		failOn(err)
		tl = waitTimeline(ctx, rec, t.PodGone, "web-1 and web-2 Deleted while web-0 is held unready (Parallel must not wait for it)",
			timeline.PodsGone(mark, "web-1", "web-2"))
		expectHeld(rec, tl.Since(mark), guarantee.ParallelTerminationInput{Pod: "web-0", From: 3, To: 1})
		expectViolated(rec, tl.Since(mark), guarantee.OrderedTerminationInput{From: 3, To: 1},
			"Parallel scale-down should break the OrderedReady halt with a violation, not for lack of evidence")
		down := guarantee.TerminationOrder(tl.Since(mark))
		AddReportEntry("observation: pods terminating at once during the Parallel scale-down", down.MaxConcurrent)

		e.release(ctx, rec, "web-0")
		e.waitRolledOut(ctx, set.Name)
	})
})
