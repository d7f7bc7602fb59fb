//go:build e2e

package statefulset_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	"github.com/stsconform/stsconform/framework/disruption"
	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
)

// Documented (Specifying a Disruption Budget, Safely Drain a Node): the
// Eviction API refuses an eviction that would violate a PodDisruptionBudget
// with 429 Too Many Requests, and `kubectl drain` retries until it succeeds
// or times out; once the budget allows, the drain proceeds.
var _ = Describe("StatefulSet node drain with a PodDisruptionBudget", Label(guarantee.Conformance, guarantee.Disruptive, guarantee.PDB.Label), Serial, func() {
	t := cfg.Timeouts
	// Earlier specs' namespaces gone; deployed; budget allows 1; hold web-0;
	// budget allows 0; blocked drain (which overruns by the drain library's
	// retry delay); release web-0; budget allows 1; drain; rolled out.
	It("blocks the drain while the budget is exhausted and completes it once the budget allows", SpecTimeout(t.Budget(t.Cleanup, t.Deploy(), t.PodReady, t.Exec, t.PodReady, t.DrainBlocked+disruption.EvictRetryDelay, t.Exec, t.PodReady, t.Drain, t.Deploy())), func(ctx SpecContext) {
		requireNodes(ctx, 4, "3 pods with required anti-affinity plus a free node to move to")
		e := newSpecEnv(ctx, "pdb-drain")
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(3), statefulset.WithRequiredAntiAffinity())
		rec := e.record(ctx, set)
		e.deploy(ctx, set, svc)
		e.expectSpread(ctx, set)

		pdb := &policyv1.PodDisruptionBudget{
			ObjectMeta: metav1.ObjectMeta{Namespace: e.ns, Name: "web"},
			Spec: policyv1.PodDisruptionBudgetSpec{
				MinAvailable: ptr.To(intstr.FromInt32(2)),
				Selector:     set.Spec.Selector,
			},
		}
		_, err := e.c.Kube.PolicyV1().PodDisruptionBudgets(e.ns).Create(ctx, pdb, metav1.CreateOptions{})
		Expect(err).NotTo(HaveOccurred())
		e.waitDisruptionsAllowed(ctx, pdb.Name, 1)

		By("making web-0 unavailable: the budget (minAvailable 2) allows no more disruptions")
		e.hold(ctx, rec, "web-0")
		e.waitDisruptionsAllowed(ctx, pdb.Name, 0)

		By("evicting web-1: refused with 429")
		err = disruption.Evict(ctx, e.c.Kube, e.ns, "web-1")
		Expect(disruption.IsBlockedByPDB(err)).To(BeTrue(), "eviction of web-1 with 0 disruptions allowed answered %v", err)

		web2 := e.getPod(ctx, "web-2")
		node := web2.Spec.NodeName
		DeferCleanup(e.uncordon, node, NodeTimeout(t.Cleanup))

		By("draining " + node + " (web-2's node) with a timeout: the drain fails and web-2 stays")
		rec.Mark("drain of " + node + " started while the budget is exhausted")
		err = e.drain(ctx, node, t.DrainBlocked)
		Expect(err).To(HaveOccurred(), "drain of %s succeeded although the budget allowed no disruption", node)
		block, blocked := disruption.DrainBlockedByPDB(err)
		Expect(blocked).To(BeTrue(), "the drain of %s failed, but not on the budget's refusal:\n%v", node, err)
		Expect(block).To(HaveField("Budget", pdb.Name))
		Expect(block).To(HaveField("Pod", "web-2"))
		AddReportEntry("observation: blocked drain error", err.Error())
		after := e.getPod(ctx, "web-2")
		Expect(after.UID).To(Equal(web2.UID), "web-2 was replaced during a drain the budget refused")
		Expect(after.DeletionTimestamp).To(BeNil(), "web-2 is terminating although the drain was refused")

		By("making web-0 available again: the drain now completes and web-2 moves")
		e.release(ctx, rec, "web-0")
		e.waitDisruptionsAllowed(ctx, pdb.Name, 1)
		Expect(e.drain(ctx, node, t.Drain)).To(Succeed())
		rec.Mark("drain of " + node + " completed")
		e.waitRolledOut(ctx, set.Name)
		moved := e.getPod(ctx, "web-2")
		Expect(moved.UID).NotTo(Equal(web2.UID))
		Expect(moved.Spec.NodeName).NotTo(Equal(node), "web-2 came back on the drained (cordoned) node")
	})
})
