//go:build e2e

package statefulset_test

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/stsconform/stsconform/framework/dns"
	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/nodefailure"
	"github.com/stsconform/stsconform/framework/statefulset"
)

// Documented (Non-graceful node shutdown handling; StatefulSet pod
// identity): while a node is unreachable its StatefulSet pods are not
// replaced, since a StatefulSet never runs two pods of one identity; once
// the node is tainted node.kubernetes.io/out-of-service, its pods are
// force-deleted and the StatefulSet recreates them elsewhere, with the same
// name, DNS name and claim.
var _ = Describe("StatefulSet node failure", Label(guarantee.Conformance, guarantee.Disruptive, guarantee.Slow, guarantee.NodeFailure.Label), Serial, func() {
	t := cfg.Timeouts
	// Earlier specs' namespaces gone; deployed; write; NotReady; not
	// replaced; recreated and Ready; hostname and data; probe; two names.
	It("recreates a lost node's pod elsewhere with its identity and its data", SpecTimeout(t.Budget(t.Cleanup, t.Deploy(), t.Exec, t.NodeNotReady, t.HoldObserved, t.Reschedule, 2*t.Exec, t.PodReady, 2*t.DNS)), func(ctx SpecContext) {
		requireSchedulableNodes(ctx, 4, "3 pods with required anti-affinity plus a free node to move to")
		if !shared.Kind {
			Skip("node failure is simulated by stopping a kind node's container; this cluster is not a kind cluster this host's Docker can reach")
		}
		if !shared.SharedStorage {
			Skip(fmt.Sprintf("no StorageClass %q whose volumes survive a node (node-local volumes pin the pod to the dead node); pass --shared-storage-class", cfg.SharedStorageClass))
		}
		e := newSpecEnv(ctx, "node-failure")
		set, svc := statefulset.New(e.ns, "web", image(images.WebV1), statefulset.WithReplicas(3), statefulset.WithRequiredAntiAffinity(),
			statefulset.WithVolumeClaim("10Mi", cfg.SharedStorageClass))
		rec := e.record(ctx, set)
		e.deploy(ctx, set, svc)
		e.expectSpread(ctx, set)

		victim, err := getPod(e.ns, "web-2")(ctx)
		Expect(err).NotTo(HaveOccurred())
		node := victim.Spec.NodeName
		claim := expectOwnClaims(ctx, e.ns, statefulset.ClaimTemplate, []string{"web-2"}, nil)
		payload := "web-2 before losing " + node
		e.exec(ctx, "web-2", "sh", "-c", fmt.Sprintf("echo '%s' > %s/identity && sync", payload, statefulset.DataDir))
		isKind, err := nodefailure.IsKindNode(ctx, node)
		Expect(err).NotTo(HaveOccurred())
		if !isKind {
			Skip("node " + node + " is not a kind node container")
		}

		By("stopping node " + node)
		// Its restart is registered first, so that it runs after the taint
		// is cleared.
		stopNode(ctx, node)
		rec.Mark("node " + node + " stopped")
		Eventually(ctx, getNode(node)).WithTimeout(cfg.Timeouts.NodeNotReady).WithPolling(cfg.Timeouts.Poll).Should(beNotReadyNode())
		rec.Mark("node " + node + " NotReady")

		By("checking web-2 is not replaced while its node is merely unreachable")
		Consistently(ctx, getPod(e.ns, "web-2")).WithTimeout(cfg.Timeouts.HoldObserved).WithPolling(cfg.Timeouts.Poll).
			Should(HaveField("UID", victim.UID), "a second web-2 appeared while the first one's node was unreachable")

		By("marking " + node + " out of service")
		DeferCleanup(func(ctx SpecContext) {
			Expect(nodefailure.ClearOutOfService(ctx, clients.Kube, node)).To(Succeed())
		}, NodeTimeout(cfg.Timeouts.Cleanup))
		mark := rec.Snapshot().LastSeq()
		Expect(nodefailure.MarkOutOfService(ctx, clients.Kube, node)).To(Succeed())
		rec.Mark("node " + node + " tainted out-of-service")
		waitTimeline(ctx, rec, cfg.Timeouts.Reschedule, "a new web-2 Ready", readyAgain("web-2", victim.UID, mark))

		moved, err := getPod(e.ns, "web-2")(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(moved.Spec.NodeName).NotTo(Equal(node))
		AddReportEntry("observation: web-2 moved", fmt.Sprintf("%s (%s) -> %s (%s)", node, victim.Status.PodIP, moved.Spec.NodeName, moved.Status.PodIP))
		Expect(e.exec(ctx, "web-2", "hostname")).To(Equal("web-2"))
		expectOwnClaims(ctx, e.ns, statefulset.ClaimTemplate, []string{"web-2"}, claim)
		Expect(e.exec(ctx, "web-2", "cat", statefulset.DataDir+"/identity")).To(Equal(payload))
		probe := e.probe(ctx)
		expectResolves(ctx, dns.PodExecer(clients.Config, clients.Kube, cfg.Timeouts.Exec), probe, "web-2."+svc.Name, e.fqdn("web-2", svc.Name), moved.Status.PodIP)
	})
})
