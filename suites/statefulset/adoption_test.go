//go:build e2e

package statefulset_test

import (
	. "github.com/onsi/ginkgo/v2"
	corev1 "k8s.io/api/core/v1"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
	"github.com/stsconform/stsconform/framework/timeline"
)

// Documented (ReplicaSet, How a ReplicaSet works; the StatefulSet
// controller uses the same ControllerRef mechanism): "If there is a Pod
// that has no OwnerReference or the OwnerReference is not a Controller and
// it matches a ReplicaSet's selector, it will be immediately acquired by
// said ReplicaSet." (Isolating Pods from a ReplicaSet) "You can remove
// Pods from a ReplicaSet by changing their labels." Upstream: "should
// adopt matching orphans and release non-matching pods".
var _ = Describe("StatefulSet adoption", Label(guarantee.Conformance, guarantee.Adoption.Label), func() {
	t := cfg.Timeouts
	It("adopts a matching orphan and releases a pod whose labels stop matching, without deleting either", SpecTimeout(t.Budget(t.Deploy(), 3*t.ControllerObserve)), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "adoption")
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(1))
		rec := e.recordNamespace(ctx, set)
		deployed := e.deploy(ctx, set, svc)
		uid := string(deployed.UID)

		By("orphaning web-0: the set adopts it again")
		mark := rec.Mark("orphaning web-0")
		_, err := statefulset.Orphan(ctx, e.c.Kube, e.ns, "web-0")
		failOn(err)
		tl := waitTimeline(ctx, rec, t.ControllerObserve, "web-0 adopted", timeline.OwnersBecome("web-0", mark, ownedBy(deployed)))
		expectHeld(rec, tl.Since(mark), guarantee.AdoptionInput{Pod: "web-0", Adopt: true, SetUID: uid})

		By("removing web-0's labels: the set releases it")
		var labels map[string]string
		mark = rec.Mark("removing the labels of web-0")
		_, err = statefulset.UpdatePod(ctx, e.c.Kube, e.ns, "web-0", func(p *corev1.Pod) { labels, p.Labels = p.Labels, nil })
		failOn(err)
		tl = waitTimeline(ctx, rec, t.ControllerObserve, "web-0 released", timeline.OwnersBecome("web-0", mark, notOwnedBy(deployed)))
		expectHeld(rec, tl.Since(mark), guarantee.AdoptionInput{Pod: "web-0", SetUID: uid})

		By("restoring the labels: the set adopts web-0 again")
		mark = rec.Mark("restoring the labels of web-0")
		_, err = statefulset.UpdatePod(ctx, e.c.Kube, e.ns, "web-0", func(p *corev1.Pod) { p.Labels = labels })
		failOn(err)
		tl = waitTimeline(ctx, rec, t.ControllerObserve, "web-0 adopted again", timeline.OwnersBecome("web-0", mark, ownedBy(deployed)))
		expectHeld(rec, tl.Since(mark), guarantee.AdoptionInput{Pod: "web-0", Adopt: true, SetUID: uid})
	})
})
