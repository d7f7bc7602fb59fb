//go:build e2e

package statefulset_test

import (
	"context"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/stsconform/stsconform/framework/dns"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
)

// Documented: each pod's hostname is $(statefulset name)-$(ordinal); with a
// headless governing Service its DNS name is
// $(podname).$(service).$(namespace).svc.cluster.local, and "the Pod's
// ordinal, hostname, SRV records, and A record name have not changed, but the
// IP address associated with the Pod may have changed" after rescheduling.
var _ = Describe("StatefulSet stable network identity", Label("Conformance", "NetworkIdentity"), func() {
	It("gives each pod a hostname and pod.service DNS names that follow it when it is recreated", SpecTimeout(cfg.Timeouts.SpecDNS), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "identity")
		set, svc := statefulset.New(e.ns, "web", image(images.WebV1), statefulset.WithReplicas(3))
		rec := e.record(ctx, set)
		e.deploy(ctx, set, svc)
		probe := e.probe(ctx)
		execer := dns.PodExecer(clients.Config, clients.Kube, cfg.Timeouts.Exec)

		for i := 0; i < 3; i++ {
			pod := statefulset.PodName(set.Name, i)
			p, err := getPod(e.ns, pod)(ctx)
			Expect(err).NotTo(HaveOccurred())
			By("checking " + pod + ": hostname, " + pod + ".web and its FQDN")
			Expect(e.exec(ctx, pod, "hostname")).To(Equal(pod))
			Expect(e.exec(ctx, pod, "hostname", "-f")).To(Equal(e.fqdn(pod, svc.Name)))
			expectResolves(ctx, execer, probe, pod+"."+svc.Name, e.fqdn(pod, svc.Name), p.Status.PodIP)
		}

		By("deleting web-1 and waiting for its replacement")
		old, err := getPod(e.ns, "web-1")(ctx)
		Expect(err).NotTo(HaveOccurred())
		mark := rec.Snapshot().LastSeq()
		Expect(clients.Kube.CoreV1().Pods(e.ns).Delete(ctx, "web-1", metav1.DeleteOptions{})).To(Succeed())
		rec.Annotate("deleted web-1 (uid " + string(old.UID) + ", ip " + old.Status.PodIP + ")")
		waitTimeline(ctx, rec, cfg.Timeouts.PodReady, "a new web-1 Ready", readyAgain("web-1", old.UID, mark))
		recreated, err := getPod(e.ns, "web-1")(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(recreated.UID).NotTo(Equal(old.UID))
		if recreated.Status.PodIP == old.Status.PodIP {
			AddReportEntry("observation: the recreated web-1 got the same IP", old.Status.PodIP)
		}
		Expect(e.exec(ctx, "web-1", "hostname")).To(Equal("web-1"))
		expectResolves(ctx, execer, probe, "web-1."+svc.Name, e.fqdn("web-1", svc.Name), recreated.Status.PodIP)
	})
})

// expectResolves waits until both the short pod.service name (through the
// search list) and the FQDN resolve to ip from inside the cluster. Waiting
// covers CoreDNS caching and endpoint propagation after a pod changes.
func expectResolves(ctx SpecContext, execer dns.Execer, probe dns.PodRef, short, fqdn, ip string) {
	GinkgoHelper()
	Eventually(ctx, func(ctx context.Context) (string, error) {
		return dns.ResolveShort(ctx, execer, probe, short)
	}).WithTimeout(cfg.Timeouts.DNS).WithPolling(cfg.Timeouts.Poll).Should(Equal(ip), "%s from %s", short, probe)
	Eventually(ctx, func(ctx context.Context) ([]string, error) {
		return dns.ResolveFQDN(ctx, execer, probe, fqdn)
	}).WithTimeout(cfg.Timeouts.DNS).WithPolling(cfg.Timeouts.Poll).Should(ConsistOf(ip), "%s from %s", fqdn, probe)
}
