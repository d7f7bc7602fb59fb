//go:build e2e

package statefulset_test

import (
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/stsconform/stsconform/framework/dns"
	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
)

// Documented: each pod's hostname is $(statefulset name)-$(ordinal); with a
// headless governing Service its DNS name is
// $(podname).$(service).$(namespace).svc.cluster.local, and "the Pod's
// ordinal, hostname, SRV records, and A record name have not changed, but the
// IP address associated with the Pod may have changed" after rescheduling;
// and (Pod index label) "When the StatefulSet controller creates a Pod, the
// new Pod is labelled with apps.kubernetes.io/pod-index. The value of this
// label is the ordinal index of the Pod."
var _ = Describe("StatefulSet stable network identity", Label(guarantee.Conformance, guarantee.NetworkIdentity.Label), func() {
	t := cfg.Timeouts
	// Deployed; probe Ready; per pod two execs and two names; web-1
	// recreated; its hostname and two names again.
	It("gives each pod a hostname and pod.service DNS names that follow it when it is recreated", Label(guarantee.DNS, guarantee.PodIndexLabel.Label), SpecTimeout(t.Budget(t.Deploy(), t.PodReady, 3*(2*t.Exec+2*t.DNS), t.PodReady, t.Exec, 2*t.DNS)), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "identity")
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(3))
		rec := e.record(ctx, set)
		e.deploy(ctx, set, svc)
		probe := e.probe(ctx)

		for i := 0; i < 3; i++ {
			pod := statefulset.PodName(set.Name, i)
			p := e.getPod(ctx, pod)
			By("checking " + pod + ": hostname, " + pod + ".web and its FQDN")
			Expect(e.exec(ctx, pod, "hostname")).To(Equal(pod))
			Expect(e.exec(ctx, pod, "hostname", "-f")).To(Equal(e.fqdn(pod, svc.Name)))
			e.expectResolves(ctx, probe, pod, svc.Name, p.Status.PodIP)
		}

		By("deleting web-1 and waiting for its replacement")
		old := e.replacePod(ctx, rec, "web-1")
		recreated := e.getPod(ctx, "web-1")
		Expect(recreated.UID).NotTo(Equal(old.UID))
		if recreated.Status.PodIP == old.Status.PodIP {
			AddReportEntry("observation: the recreated web-1 got the same IP", old.Status.PodIP)
		}
		Expect(e.exec(ctx, "web-1", "hostname")).To(Equal("web-1"))
		e.expectResolves(ctx, probe, "web-1", svc.Name, recreated.Status.PodIP)
		// Every pod of the recording, the re-created web-1 included.
		expectHeld(rec, rec.Snapshot(), guarantee.PodIndexInput{Replicas: 3})
	})

	// Documented (DNS for Services and Pods): a headless Service's name
	// resolves to the IPs of its ready pods, and a named port gets SRV
	// records _port._proto.service... pointing at each pod's own name.
	//
	// Deployed; probe Ready; the name and SRV; three GETs; hold web-2; the
	// name and SRV without it.
	It("resolves the headless Service to its ready pods, lists each in SRV records and serves each by its FQDN", Label(guarantee.DNS), SpecTimeout(t.Budget(t.Deploy(), t.PodReady, 2*t.DNS, 3*t.Exec, t.Exec, 2*t.DNS)), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "service-dns")
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(3))
		rec := e.record(ctx, set)
		e.deploy(ctx, set, svc)
		probe := e.probe(ctx)
		Expect(svc.Spec.Ports[0].Name).To(Equal("http"), "the SRV name below assumes the Service port is named http")

		pods, err := statefulset.Pods(ctx, e.c.Kube, set)
		Expect(err).NotTo(HaveOccurred())
		ips := map[string]string{}
		for _, p := range pods {
			ips[p.Name] = p.Status.PodIP
		}
		Expect(ips).To(HaveLen(3))
		service := fmt.Sprintf("%s.%s.svc.cluster.local", svc.Name, e.ns)

		By("resolving " + service + " to the three ready pods' IPs")
		e.expectService(ctx, probe, svc.Name, ips)

		By("fetching /version from each pod by its FQDN from the probe pod")
		for i := 0; i < 3; i++ {
			url := fmt.Sprintf("http://%s:%d/version", e.fqdn(statefulset.PodName(set.Name, i), svc.Name), statefulset.Port)
			body, err := dns.HTTPGet(ctx, e.execer(), probe, url, dns.HTTPLimit)
			Expect(err).NotTo(HaveOccurred())
			Expect(strings.TrimSpace(body)).To(Equal("1"), "GET %s", url)
		}

		By("holding web-2 unready: its address and SRV record leave the Service's answers")
		e.hold(ctx, rec, "web-2")
		delete(ips, "web-2")
		e.expectService(ctx, probe, svc.Name, ips)
	})
})

// expectService waits until the headless Service's name resolves to exactly
// the IPs of the given ready pods, and its SRV name (of the port named
// http) lists exactly their FQDNs on the served port.
func (e *specEnv) expectService(ctx SpecContext, probe dns.PodRef, service string, ips map[string]string) {
	GinkgoHelper()
	fqdn := fmt.Sprintf("%s.%s.svc.cluster.local", service, e.ns)
	var targets []string
	for pod := range ips {
		targets = append(targets, fmt.Sprintf("%s:%d", e.fqdn(pod, service), statefulset.Port))
	}
	failOn(dns.WaitService(ctx, dns.ServiceInput{Exec: e.execer(), Probe: probe, Service: fqdn, SRV: "_http._tcp." + fqdn,
		IPs: ips, Targets: targets, WaitInput: e.dnsWait()}))
}
