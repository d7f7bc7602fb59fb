//go:build e2e

package statefulset_test

import (
	"slices"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
	"github.com/stsconform/stsconform/framework/timeline"
)

// Documented: "For a StatefulSet with N replicas, when Pods are being
// deployed, they are created sequentially, in order from {0..N-1}" and
// "Before a scaling operation is applied to a Pod, all of its predecessors
// must be Running and Ready." (OrderedReady pod management)
var _ = Describe("StatefulSet ordered creation", Label(guarantee.Conformance, guarantee.OrderedCreation.Label), func() {
	t := cfg.Timeouts
	// Observed; web-0 Ready and web-1 Running; the hold; the release exec;
	// rolled out; web-2 Ready on the timeline.
	It("creates pod N+1 only after pod N is Running and Ready", SpecTimeout(t.Budget(t.ControllerObserve, t.PodReady, t.HoldObserved, t.Exec, t.Deploy(), t.PodReady)), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "ordered-creation")
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(3), statefulset.WithHeld("web-1"))
		rec := e.record(ctx, set)
		e.create(ctx, set, svc)
		e.waitObserved(ctx, set.Name)

		By("holding web-1 unready once it runs")
		held := waitTimeline(ctx, rec, t.PodReady, "web-0 Ready and web-1 Running",
			timeline.AllOf(timeline.Has(timeline.Ready, "web-0", 0), timeline.Has(timeline.Running, "web-1", 0)))
		rec.Mark("web-1 held unready (started without " + statefulset.ReadyFile + ")")

		By("proving web-2 is not created while web-1 is unready")
		failOn(rec.HoldsFor(ctx, t.HoldObserved, func(tl timeline.Timeline) string {
			if slices.Contains(tl.PodsWith(held.LastSeq(), timeline.Created), "web-2") {
				return "web-2 was created while web-1 was Running but not Ready"
			}
			return ""
		}))
		Expect(timeline.Has(timeline.Ready, "web-1", 0)(rec.Snapshot())).To(BeFalse(), "web-1 became Ready while held")

		By("releasing web-1: web-2 must follow")
		release := e.release(ctx, rec, "web-1")
		e.waitRolledOut(ctx, set.Name)
		tl := waitTimeline(ctx, rec, t.PodReady, "web-2 Ready", timeline.Has(timeline.Ready, "web-2", 0))

		expectHeld(rec, tl, guarantee.HeldBlocksInput{Pod: "web-1", Successor: "web-2", Release: release})
		expectHeld(rec, tl, guarantee.OrderedCreationInput{From: 0, To: 3})
	})

	// Upstream's "should not deadlock when a pod's predecessor fails":
	// with web-1 held unready, its Ready predecessor web-0 is deleted. The
	// controller must recreate web-0 (it must not wait for the unready
	// successor first), and must still not create web-2 until web-1 is
	// Ready.
	//
	// Observed; web-0 Ready and web-1 Running; web-0 replaced; the release
	// exec; rolled out; web-2 Ready on the timeline.
	It("recreates a deleted pod while its successor is held unready, and creates no later pod until that successor is Ready", SpecTimeout(t.Budget(t.ControllerObserve, t.PodReady, t.PodReady, t.Exec, t.Deploy(), t.PodReady)), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "no-deadlock")
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(3), statefulset.WithHeld("web-1"))
		rec := e.record(ctx, set)
		e.create(ctx, set, svc)
		e.waitObserved(ctx, set.Name)

		By("holding web-1 unready once it runs")
		waitTimeline(ctx, rec, t.PodReady, "web-0 Ready and web-1 Running",
			timeline.AllOf(timeline.Has(timeline.Ready, "web-0", 0), timeline.Has(timeline.Running, "web-1", 0)))
		rec.Mark("web-1 held unready (started without " + statefulset.ReadyFile + ")")

		By("deleting web-0, web-1's Ready predecessor: it must come back while web-1 is still unready")
		e.replacePod(ctx, rec, "web-0")
		now := rec.Snapshot()
		Expect(timeline.Has(timeline.Ready, "web-1", 0)(now)).To(BeFalse(), "web-1 became Ready while held")
		Expect(slices.Contains(now.PodsWith(0, timeline.Created), "web-2")).To(BeFalse(), "web-2 was created while web-1 was held unready")

		By("releasing web-1: web-2 must follow")
		release := e.release(ctx, rec, "web-1")
		e.waitRolledOut(ctx, set.Name)
		tl := waitTimeline(ctx, rec, t.PodReady, "web-2 Ready", timeline.Has(timeline.Ready, "web-2", 0))

		expectHeld(rec, tl, guarantee.HeldBlocksInput{Pod: "web-1", Successor: "web-2", Release: release})
		expectHeld(rec, tl, guarantee.OrderedCreationInput{From: 0, To: 3})
	})

	It("scales from 3 to 10 creating each pod after its predecessors are Ready", Label(guarantee.Slow, guarantee.PodIndexLabel.Label), SpecTimeout(t.Budget(t.Deploy(), t.Deploy(), t.PodReady)), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "scale-up")
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(3))
		rec := e.record(ctx, set)
		e.deploy(ctx, set, svc)

		mark := rec.Mark("scaling 3 -> 10")
		_, err := statefulset.ScaleTo(ctx, e.c.Kube, e.ns, set.Name, 10)
		failOn(err)
		e.waitRolledOut(ctx, set.Name)

		tl := waitTimeline(ctx, rec, t.PodReady, "web-9 Ready", timeline.Has(timeline.Ready, "web-9", mark))
		expectHeld(rec, tl, guarantee.OrderedCreationInput{From: 3, To: 10})
		// Documented (Pod index label): each pod the controller creates
		// is labelled apps.kubernetes.io/pod-index with its ordinal.
		expectHeld(rec, tl, guarantee.PodIndexInput{Replicas: 10})
		Expect(tl.PodsWith(mark, timeline.Created)).To(Equal([]string{"web-3", "web-4", "web-5", "web-6", "web-7", "web-8", "web-9"}))
		obs := guarantee.Concurrency(tl.Since(mark))
		AddReportEntry("observation: most pods not yet Ready at once during OrderedReady scale-up", obs.MaxNotReady)
		Expect(obs.MaxNotReady).To(Equal(1), "OrderedReady let several pods be unready at once: %v", obs.MaxNotReadyPods)
	})
})
