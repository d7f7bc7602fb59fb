//go:build e2e

package statefulset_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
	"github.com/stsconform/stsconform/framework/timeline"
)

// Documented: "When Pods are being deleted, they are terminated in reverse
// order, from {N-1..0}" and "Before a Pod is terminated, all of its
// successors must be completely shutdown." Deleting a StatefulSet is
// documented to provide NO ordering ("StatefulSets do not provide any
// guarantees on the termination of pods when a StatefulSet is deleted"), and
// to leave the volumes ("Deleting and/or scaling a StatefulSet down will not
// delete the volumes associated with the StatefulSet").
var _ = Describe("StatefulSet ordered teardown", Label(guarantee.Conformance, guarantee.OrderedTeardown.Label), func() {
	t := cfg.Timeouts
	DescribeTable("scales down highest ordinal first, each pod only after its successors are gone",
		func(ctx SpecContext, from, to int) {
			e := newSpecEnv(ctx, "scale-down")
			set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(int32(from)))
			rec := e.record(ctx, set)
			e.deploy(ctx, set, svc)

			mark := rec.Mark(fmt.Sprintf("scaling %d -> %d", from, to))
			_, err := statefulset.ScaleTo(ctx, e.c.Kube, e.ns, set.Name, int32(to))
			failOn(err)
			last := statefulset.PodName(set.Name, to)
			tl := waitTimeline(ctx, rec, t.PodGone, last+" Deleted", timeline.Has(timeline.Deleted, last, mark))

			expectHeld(rec, tl.Since(mark), guarantee.OrderedTerminationInput{From: from, To: to})
		},
		// Entries, not the table, carry the budget: a table is a container.
		Entry("from 5 to 2", SpecTimeout(t.Budget(t.Deploy(), t.PodGone)), 5, 2),
		Entry("from 3 to zero", SpecTimeout(t.Budget(t.Deploy(), t.PodGone)), 3, 0),
		Entry("from 10 to 3", Label(guarantee.Slow), SpecTimeout(t.Budget(t.Deploy(), t.PodGone)), 10, 3),
	)

	// Documented example: scaling web to 1, "web-1 would not be terminated
	// until web-0 is Running and Ready". Upstream's conformance spec
	// ("Scaling should happen in predictable order and halt if any
	// stateful pod is unhealthy") makes every pod unready; here only the pod
	// the scale-down keeps is, which is the case the documentation names.
	//
	// Deployed; hold web-0 and its Unready; scaled down and observed; the
	// halt; release; web-1 Deleted.
	It("halts a scale-down while a pod it keeps is unready, and goes on once that pod is Ready", SpecTimeout(t.Budget(t.Deploy(), t.Exec, t.PodReady, t.ControllerObserve, t.HoldObserved, t.Exec, t.PodGone)), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "scale-down-halt")
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(3))
		rec := e.record(ctx, set)
		e.deploy(ctx, set, svc)

		By("holding web-0 unready")
		mark := rec.Snapshot().LastSeq()
		e.exec(ctx, "web-0", statefulset.Hold()...)
		waitTimeline(ctx, rec, t.PodReady, "web-0 Unready", timeline.Has(timeline.Unready, "web-0", mark))
		rec.Mark(heldNote("web-0"))

		By("scaling 3 -> 1: no pod may begin terminating while web-0 is unready")
		mark = rec.Mark("scaling 3 -> 1")
		_, err := statefulset.ScaleTo(ctx, e.c.Kube, e.ns, set.Name, 1)
		failOn(err)
		e.waitObserved(ctx, set.Name)
		observed := rec.Mark("the controller observed the scale-down while web-0 is held unready")
		failWithCause(rec.HoldsFor(ctx, t.HoldObserved, func(tl timeline.Timeline) string {
			if len(tl.PodsWith(mark, timeline.Terminating, timeline.Deleted)) > 0 {
				return "pods began terminating while web-0 was unready"
			}
			return ""
		}), func() string {
			return guarantee.Cause(guarantee.OrderedTerminationInput{From: 3, To: 1}.Judge(rec.Snapshot().Since(mark)))
		})

		By("releasing web-0: the scale-down must go on")
		release := e.release(ctx, rec, "web-0")
		tl := waitTimeline(ctx, rec, t.PodGone, "web-1 Deleted after web-0's release", timeline.Has(timeline.Deleted, "web-1", mark))
		expectHeld(rec, tl.Since(mark), guarantee.ScaleDownHaltInput{Pod: "web-0", From: 3, To: 1, Observed: observed, Release: release})
		expectHeld(rec, tl.Since(mark), guarantee.OrderedTerminationInput{From: 3, To: 1})
	})

	It("deletes the pods and keeps the PersistentVolumeClaims when the StatefulSet is deleted", SpecTimeout(t.Budget(t.Deploy(), t.PodGone)), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "cascade-delete")
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(3), statefulset.WithVolumeClaim("10Mi", e.storageClass))
		rec := e.record(ctx, set)
		e.deploy(ctx, set, svc)
		before := e.ownClaims(ctx, statefulset.ClaimTemplate, statefulset.PodNames(set.Name, 3), nil)

		mark := rec.Mark("deleting the StatefulSet (background cascading deletion)")
		Expect(statefulset.Delete(ctx, e.c.Kube, e.ns, set.Name)).To(Succeed())
		tl := waitTimeline(ctx, rec, t.PodGone, "every pod Deleted",
			timeline.PodsGone(mark, "web-0", "web-1", "web-2"))

		obs := guarantee.TerminationOrder(tl.Since(mark))
		var order []string
		for _, s := range obs.Order {
			order = append(order, s.Pod)
		}
		note := fmt.Sprintf("observation (no order is documented for StatefulSet deletion): pods began terminating in the order %s; descending=%t; at most %d terminating at once",
			strings.Join(order, ", "), obs.Descending, obs.MaxConcurrent)
		rec.Mark(note)
		AddReportEntry("observation: termination order on StatefulSet deletion", note)

		claims, err := statefulset.Claims(ctx, e.c.Kube, e.ns, statefulset.ClaimTemplate, set.Name, 3)
		Expect(err).NotTo(HaveOccurred())
		Expect(claims).To(HaveLen(3), "PVCs left after deleting the StatefulSet: %v", slices.Sorted(maps.Keys(claims)))
		for pod, was := range before {
			pvc := claims[was.Name]
			Expect(pvc.DeletionTimestamp).To(BeNil(), "PVC %s is being deleted", pvc.Name)
			Expect(pvc.Status.Phase).To(Equal(corev1.ClaimBound), "PVC %s", pvc.Name)
			Expect(pvc.UID).To(Equal(was.UID), "PVC %s of %s was made anew (uid %s, was %s)", pvc.Name, pod, pvc.UID, was.UID)
		}
	})
})
