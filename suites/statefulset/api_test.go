//go:build e2e

package statefulset_test

import (
	"context"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
	"github.com/stsconform/stsconform/framework/timeline"
)

// Documented (StatefulSet v1 API reference): a StatefulSet serves the
// scale subresource, which `kubectl scale` and autoscalers read and write,
// and the status subresource, which controllers write; its collection can
// be listed by label, patched and deleted in one call. Upstream's
// [Conformance] specs "should have a working scale subresource", "should
// validate Statefulset Status endpoints" and "should list, patch and
// delete a collection of StatefulSets" ask the same of the API.
//
// The three specs share one StatefulSet of one replica (Ordered): each is a
// step on a live set, and the last one deletes it.
var _ = Describe("StatefulSet API", Ordered, Label(guarantee.Conformance, guarantee.API.Label), func() {
	var (
		e   *specEnv
		set *appsv1.StatefulSet
		rec *timeline.Recorder
	)
	t := cfg.Timeouts
	BeforeAll(func(ctx SpecContext) {
		e = newSpecEnv(ctx, "api")
		var svc *corev1.Service
		set, svc = statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(1))
		rec = e.recordAcross("api", set)
		e.deploy(ctx, set, svc)
	}, NodeTimeout(t.Budget(t.Deploy())))

	// Scaled up through /scale and rolled out; web-1 Ready on the timeline;
	// scaled down and rolled out; web-1 Deleted.
	It("serves the scale subresource: replicas read and written through it, and the set follows in order", SpecTimeout(t.Budget(t.Deploy(), t.PodReady, t.Deploy(), t.PodGone)), func(ctx SpecContext) {
		By("reading statefulsets/scale: it agrees with the StatefulSet")
		Expect(statefulset.ScaleAgrees(ctx, e.c.Kube, e.ns, set.Name)).To(Succeed())

		By("writing 2 replicas to statefulsets/scale (PUT, as an autoscaler does): web-1 is created after web-0")
		mark := rec.Mark("PUT statefulsets/scale: 1 -> 2 replicas")
		_, err := statefulset.UpdateScale(ctx, e.c.Kube, e.ns, set.Name, 2)
		Expect(err).NotTo(HaveOccurred())
		Expect(statefulset.ScaledTo(e.waitRolledOut(ctx, set.Name), 2, "PUT statefulsets/scale")).To(Succeed())
		tl := waitTimeline(ctx, rec, t.PodReady, "web-1 Ready", timeline.Has(timeline.Ready, "web-1", mark))
		expectHeld(rec, tl, guarantee.OrderedCreationInput{From: 1, To: 2})
		Expect(statefulset.ScaleAgrees(ctx, e.c.Kube, e.ns, set.Name)).To(Succeed())

		By("patching statefulsets/scale back to 1 replica (as kubectl scale does): web-1 goes")
		mark = rec.Mark("PATCH statefulsets/scale: 2 -> 1 replica")
		_, err = statefulset.PatchScale(ctx, e.c.Kube, e.ns, set.Name, 1)
		Expect(err).NotTo(HaveOccurred())
		Expect(statefulset.ScaledTo(e.waitRolledOut(ctx, set.Name), 1, "PATCH statefulsets/scale")).To(Succeed())
		tl = waitTimeline(ctx, rec, t.PodGone, "web-1 Deleted", timeline.Has(timeline.Deleted, "web-1", mark))
		expectHeld(rec, tl.Since(mark), guarantee.OrderedTerminationInput{From: 2, To: 1})
		Expect(statefulset.ScaleAgrees(ctx, e.c.Kube, e.ns, set.Name)).To(Succeed())
	})

	// API calls only: the budget is Slack.
	It("serves the status subresource: read, updated and patched, never changing the spec", SpecTimeout(t.Budget()), func(ctx SpecContext) {
		before := e.getSet(ctx, set.Name)

		By("reading statefulsets/status: the StatefulSet with the status its controller wrote")
		viaStatus, err := statefulset.GetStatus(ctx, e.c.Kube, e.ns, set.Name)
		Expect(err).NotTo(HaveOccurred())
		Expect(statefulset.SameStatus(before, viaStatus)).To(Succeed())

		By("writing a condition with PUT statefulsets/status, the same body asking for one more replica")
		updated := appsv1.StatefulSetCondition{Type: "StatusUpdate", Status: corev1.ConditionTrue, Reason: "E2E", Message: "written by stsconform with PUT statefulsets/status"}
		answer, err := statefulset.UpdateStatus(ctx, e.c.Kube, e.ns, set.Name, func(s *appsv1.StatefulSet) {
			s.Status.Conditions = append(s.Status.Conditions, updated)
			s.Spec.Replicas = ptr.To(*s.Spec.Replicas + 1)
		})
		Expect(err).NotTo(HaveOccurred())
		Expect(statefulset.HasCondition(answer, updated, "the answer to the PUT")).To(Succeed())
		after := e.getSet(ctx, set.Name)
		Expect(statefulset.HasCondition(after, updated, "a GET after the PUT")).To(Succeed())
		Expect(statefulset.SpecKept(before, after)).To(Succeed())

		By("patching another condition into statefulsets/status: both are read back")
		patched := appsv1.StatefulSetCondition{Type: "StatusPatched", Status: corev1.ConditionTrue, Reason: "E2E", Message: "written by stsconform with PATCH statefulsets/status"}
		answer, err = statefulset.PatchStatusCondition(ctx, e.c.Kube, e.ns, set.Name, patched)
		Expect(err).NotTo(HaveOccurred())
		Expect(statefulset.HasCondition(answer, patched, "the answer to the PATCH")).To(Succeed())
		after = e.getSet(ctx, set.Name)
		Expect(statefulset.HasCondition(after, patched, "a GET after the PATCH")).To(Succeed())
		Expect(statefulset.HasCondition(after, updated, "a GET after the PATCH")).To(Succeed())
		Expect(statefulset.SpecKept(before, after)).To(Succeed())
	})

	// The patch observed; the new web-0 Ready; its version; the collection
	// gone from the list; web-0 Deleted.
	It("lists, patches and deletes a collection of StatefulSets by label", SpecTimeout(t.Budget(t.ControllerObserve, t.PodReady, t.Exec, t.PodGone, t.PodGone)), func(ctx SpecContext) {
		// The namespace's name makes the label this run's own: the list
		// spans every namespace.
		key, value := "stsconform.io/collection", e.ns
		selector := key + "=" + value
		By("creating a second StatefulSet, of no replicas and without the label")
		other, _ := statefulset.New(e.ns, "other", e.image(images.WebV1), statefulset.WithReplicas(0))
		e.create(ctx, other, nil)

		By("patching " + set.Name + " with the label and the image " + e.image(images.WebV2) + ": web-0 is replaced and serves 2")
		old := e.getPod(ctx, "web-0")
		patch, err := statefulset.LabelAndImagePatch(key, value, statefulset.Container, e.image(images.WebV2))
		Expect(err).NotTo(HaveOccurred())
		mark := rec.Mark("patched: label " + selector + ", image " + e.image(images.WebV2))
		_, err = statefulset.Patch(ctx, e.c.Kube, e.ns, set.Name, patch)
		Expect(err).NotTo(HaveOccurred())
		e.waitObserved(ctx, set.Name)
		waitTimeline(ctx, rec, t.PodReady, "a new web-0 Ready", timeline.ReadyAgain("web-0", string(old.UID), mark))
		Expect(e.exec(ctx, "web-0", "cat", "/www/version")).To(Equal("2"))

		By("listing the StatefulSets of every namespace with " + selector + ": " + set.Name + " alone")
		list, err := statefulset.List(ctx, e.c.Kube, "", selector)
		Expect(err).NotTo(HaveOccurred())
		Expect(statefulset.Listed(list, selector, e.ns+"/"+set.Name)).To(Succeed())

		By("deleting the collection " + selector + ": " + set.Name + " and its pod go, other stays")
		mark = rec.Snapshot().LastSeq()
		Expect(statefulset.DeleteCollection(ctx, e.c.Kube, e.ns, selector)).To(Succeed())
		rec.Mark("deleted the collection " + selector)
		Eventually(ctx, func(ctx context.Context) error {
			list, err := statefulset.List(ctx, e.c.Kube, "", selector)
			if err != nil {
				return err
			}
			return statefulset.Listed(list, selector)
		}).WithTimeout(t.PodGone).WithPolling(t.Poll).Should(Succeed())
		waitTimeline(ctx, rec, t.PodGone, "web-0 Deleted", timeline.Has(timeline.Deleted, "web-0", mark))
		left, err := statefulset.List(ctx, e.c.Kube, e.ns, "")
		Expect(err).NotTo(HaveOccurred())
		Expect(statefulset.Listed(left, "no selector in "+e.ns, e.ns+"/"+other.Name)).To(Succeed())
	})
})
