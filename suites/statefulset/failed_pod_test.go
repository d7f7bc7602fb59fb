//go:build e2e

package statefulset_test

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
	"github.com/stsconform/stsconform/framework/timeline"
)

// heldPort is the host port two pods of one node cannot both hold
// (upstream's test uses the same number).
const heldPort = 21017

// Documented (Pod Identity): "The identity sticks to the Pod, regardless of
// which node it's (re)scheduled on"; upstream's [Conformance] "Should
// recreate evicted statefulset": "StatefulSet MUST delete and recreate Pods
// it owns that go into a Failed state, such as when they are rejected or
// evicted by a Node". As upstream does, a pod holding a host port makes the
// kubelet reject web-0, pinned to the same node with the same host port,
// at admission, and again after each re-creation, until the port is freed.
var _ = Describe("StatefulSet failed pod", Label(guarantee.Conformance, guarantee.NetworkIdentity.Label), func() {
	t := cfg.Timeouts
	// The port holder Ready; observed; web-0 rejected and recreated; web-0
	// Ready once the port is free; its hostname.
	It("deletes and recreates a pod its node rejected, with the same name, until it runs", SpecTimeout(t.Budget(t.PodReady, t.ControllerObserve, t.PodReady, t.PodReady, t.Exec)), func(ctx SpecContext) {
		node := requireNodes(ctx, 1, "a node for the port holder and web-0")[0].Name
		e := newSpecEnv(ctx, "failed-pod")

		By(fmt.Sprintf("starting a pod that holds host port %d on %s", heldPort, node))
		holder := statefulset.PinnedPod(e.ns, "port-holder", "mesh", node, e.image(images.WebV1))
		holder.Spec.Containers[0].Ports = append(holder.Spec.Containers[0].Ports, corev1.ContainerPort{ContainerPort: heldPort, HostPort: heldPort})
		_, err := e.c.Kube.CoreV1().Pods(e.ns).Create(ctx, holder, metav1.CreateOptions{})
		Expect(err).NotTo(HaveOccurred())
		e.waitPodReady(ctx, holder.Name, "port holder Running and Ready")

		By("creating web-0 on " + node + " with the same host port: the kubelet rejects it, the controller recreates it")
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(1),
			statefulset.WithNodeName(node), statefulset.WithHostPort(heldPort))
		rec := e.record(ctx, set)
		e.create(ctx, set, svc)
		e.waitObserved(ctx, set.Name)
		tl := waitTimeline(ctx, rec, t.PodReady, "web-0 Failed, deleted and created again", func(tl timeline.Timeline) bool {
			return guarantee.Replacements(tl, "web-0") >= 1
		})
		AddReportEntry("observation: web-0 rejected and recreated before the port was freed",
			fmt.Sprintf("%d time(s)", guarantee.Replacements(tl, "web-0")))

		By("freeing the port: the next web-0 runs")
		Expect(e.c.Kube.CoreV1().Pods(e.ns).Delete(ctx, holder.Name, metav1.DeleteOptions{GracePeriodSeconds: ptr.To[int64](0)})).To(Succeed())
		rec.Mark("port holder deleted")
		tl = waitTimeline(ctx, rec, t.PodReady, "web-0 Ready", timeline.Has(timeline.Ready, "web-0", 0))
		expectHeld(rec, tl, guarantee.FailedReplacedInput{Pod: "web-0"})
		Expect(e.exec(ctx, "web-0", "hostname")).To(Equal("web-0"))
	})
})
