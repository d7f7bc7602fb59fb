//go:build e2e

package statefulset_test

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
	"github.com/stsconform/stsconform/framework/timeline"
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
		requireNodes(ctx, 4, "3 pods with required anti-affinity plus a free node to move to")
		requireNodeFailure()
		e := newSpecEnv(ctx, "node-failure")
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(3), statefulset.WithRequiredAntiAffinity(),
			statefulset.WithVolumeClaim("10Mi", e.sharedStorageClass))
		rec := e.record(ctx, set)
		e.deploy(ctx, set, svc)
		e.expectSpread(ctx, set)

		victim := e.getPod(ctx, "web-2")
		node := victim.Spec.NodeName
		claim := e.ownClaims(ctx, statefulset.ClaimTemplate, []string{"web-2"}, nil)
		payload := "web-2 before losing " + node
		e.exec(ctx, "web-2", "sh", "-c", fmt.Sprintf("echo '%s' > %s/identity && sync", payload, statefulset.DataDir))
		requireKindNode(ctx, node)

		By("stopping node " + node)
		// Its restart is registered first, so that it runs after the taint
		// is cleared.
		e.stopNode(ctx, node)
		rec.Mark("node " + node + " stopped")
		e.waitNotReady(ctx, node)
		unreachable := rec.Mark("node " + node + " NotReady")

		By("checking web-2 is not replaced while its node is merely unreachable")
		failOn(rec.HoldsFor(ctx, t.HoldObserved, func(tl timeline.Timeline) string {
			for _, ev := range tl.Since(unreachable).Events {
				if ev.Pod == "web-2" && ev.Kind == timeline.Created && !ev.Baseline && ev.UID != string(victim.UID) {
					return "a second web-2 appeared while the first one's node was unreachable"
				}
			}
			return ""
		}))

		By("marking " + node + " out of service")
		mark := rec.Snapshot().LastSeq()
		e.markOutOfService(ctx, node)
		rec.Mark("node " + node + " tainted out-of-service")
		waitTimeline(ctx, rec, t.Reschedule, "a new web-2 Ready", timeline.ReadyAgain("web-2", string(victim.UID), mark))

		moved := e.getPod(ctx, "web-2")
		Expect(moved.Spec.NodeName).NotTo(Equal(node))
		AddReportEntry("observation: web-2 moved", fmt.Sprintf("%s (%s) -> %s (%s)", node, victim.Status.PodIP, moved.Spec.NodeName, moved.Status.PodIP))
		Expect(e.exec(ctx, "web-2", "hostname")).To(Equal("web-2"))
		e.ownClaims(ctx, statefulset.ClaimTemplate, []string{"web-2"}, claim)
		Expect(e.exec(ctx, "web-2", "cat", statefulset.DataDir+"/identity")).To(Equal(payload))
		probe := e.probe(ctx)
		e.expectResolves(ctx, probe, "web-2", svc.Name, moved.Status.PodIP)
	})
})
