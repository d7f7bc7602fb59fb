//go:build e2e

package statefulset_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
	"github.com/stsconform/stsconform/framework/timeline"
)

// Documented (Stable storage): "For each VolumeClaimTemplate entry defined
// in a StatefulSet, each Pod receives one PersistentVolumeClaim." A pod
// whose claim is gone is Pending on it; the controller creates the claim
// of its ordinal again rather than leaving the pod stuck. Upstream: "PVC
// should be recreated when pod is pending due to missing PVC". The pod is
// kept Pending by cordoning its only allowed node while its claim is
// deleted (so the claim is not in use and goes at once), and the claim's
// deletion and re-creation are proven from the recorded claim watch.
var _ = Describe("StatefulSet missing claim", Label(guarantee.Conformance, guarantee.Disruptive, guarantee.Storage.Label), Serial, func() {
	t := cfg.Timeouts
	It("creates again the claim of a pod left Pending without it, and the pod runs on it", SpecTimeout(t.Budget(t.Cleanup, t.Deploy(), t.PodGone, t.PodGone, t.ControllerObserve, t.Deploy())), func(ctx SpecContext) {
		nodes := requireNodes(ctx, 1, "a node to pin the pod to and cordon")
		e := newSpecEnv(ctx, "missing-claim")
		node := nodes[0].Name
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(1),
			statefulset.WithVolumeClaim("10Mi", e.storageClass), statefulset.WithOnlyNode(node))
		rec := e.recordClaims(ctx, set)
		e.deploy(ctx, set, svc)
		pod := statefulset.PodName(set.Name, 0)
		claim := statefulset.ClaimName(statefulset.ClaimTemplate, pod)
		before := e.ownClaims(ctx, statefulset.ClaimTemplate, []string{pod}, nil)[pod]

		By("cordoning " + node + " and deleting " + pod + ": its new incarnation stays Pending")
		e.cordon(ctx, node)
		old := e.getPod(ctx, pod)
		mark := rec.Mark("node cordoned, deleting " + pod)
		Expect(e.c.Kube.CoreV1().Pods(e.ns).Delete(ctx, pod, metav1.DeleteOptions{})).To(Succeed())
		waitTimeline(ctx, rec, t.PodGone, pod+" deleted and created again", timeline.AllOf(timeline.PodsGone(mark, pod), timeline.Has(timeline.Created, pod, mark)))

		By("deleting " + claim + " while " + pod + " is Pending")
		mark = rec.Mark("deleting " + claim)
		Expect(e.c.Kube.CoreV1().PersistentVolumeClaims(e.ns).Delete(ctx, claim, metav1.DeleteOptions{})).To(Succeed())
		waitTimeline(ctx, rec, t.PodGone, claim+" deleted", timeline.ClaimsGone(mark, claim))

		By("uncordoning " + node + ": the controller creates " + claim + " again and " + pod + " runs on it")
		e.uncordon(ctx, node)
		waitTimeline(ctx, rec, t.ControllerObserve, claim+" created again", timeline.ClaimRecreated(claim, mark))
		e.waitRolledOut(ctx, set.Name)
		now := e.getPod(ctx, pod)
		Expect(now.UID).NotTo(Equal(old.UID), "%s was not replaced", pod)
		Expect(now.Spec.NodeName).To(Equal(node), "%s runs on another node than the only one it may use", pod)
		after := e.ownClaims(ctx, statefulset.ClaimTemplate, []string{pod}, nil)[pod]
		Expect(after.UID).NotTo(Equal(before.UID), "%s is still the deleted claim", claim)
	})
})
