//go:build e2e

package statefulset_test

import (
	"context"
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/stsconform/stsconform/framework/dns"
	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
)

// meshFetch bounds one GET between mesh pods.
const meshFetch = 3 * time.Second

// What every guarantee rests on, on a cluster nobody built by hand: names
// resolve through CoreDNS from every node, pods reach pods on every other
// node, and each storage class binds and writes. When these fail, the other
// specs' failures are most likely the cluster's, not the controller's.
//
// These specs have no budget: their waits grow with the number of nodes (a
// DNS and an HTTP wait per pair of nodes).
var _ = Describe("Test cluster", Label(guarantee.Cluster.Label), func() {
	It("resolves pod.service names and reaches a pod on every other node, from every node", Label(guarantee.DNS), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "mesh")
		nodes, err := e.c.Kube.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
		Expect(err).NotTo(HaveOccurred())
		svc := &corev1.Service{
			ObjectMeta: metav1.ObjectMeta{Namespace: e.ns, Name: "mesh"},
			Spec: corev1.ServiceSpec{ClusterIP: corev1.ClusterIPNone, Selector: map[string]string{"app": "mesh"},
				Ports: []corev1.ServicePort{{Port: statefulset.Port, TargetPort: intstr.FromInt32(statefulset.Port)}}},
		}
		_, err = e.c.Kube.CoreV1().Services(e.ns).Create(ctx, svc, metav1.CreateOptions{})
		Expect(err).NotTo(HaveOccurred())
		var pods []string
		for i, n := range nodes.Items {
			name := fmt.Sprintf("mesh-%d", i)
			pods = append(pods, name)
			_, err := e.c.Kube.CoreV1().Pods(e.ns).Create(ctx, statefulset.PinnedPod(e.ns, name, "mesh", n.Name, e.image(images.WebV1)), metav1.CreateOptions{})
			Expect(err).NotTo(HaveOccurred())
		}
		ips := map[string]string{}
		for _, name := range pods {
			e.waitPodReady(ctx, name, fmt.Sprintf("pod %s Running and Ready", name))
			ips[name] = e.getPod(ctx, name).Status.PodIP
		}
		for _, from := range pods {
			ref := dns.PodRef{Namespace: e.ns, Name: from, Container: statefulset.Container}
			for _, to := range pods {
				if from == to {
					continue
				}
				wait := e.dnsWait()
				wait.What = fmt.Sprintf("%s resolving %s.mesh", from, to)
				failOn(dns.Wait(ctx, wait, func(ctx context.Context) (string, error) {
					return dns.ResolveShort(ctx, e.execer(), ref, to+".mesh")
				}, func(ip string) bool { return ip == ips[to] }))
				failOn(dns.WaitGet(ctx, dns.GetInput{Exec: e.execer(), From: ref, URL: fmt.Sprintf("http://%s:%d/version", ips[to], statefulset.Port), Want: "1",
					Limit: meshFetch, What: fmt.Sprintf("%s reaching %s at %s", from, to, ips[to]), Timeout: e.t.DNS, Poll: e.t.Poll}))
			}
		}
	})

	It("binds and writes a claim in each storage class", func(ctx SpecContext) {
		e := newSpecEnv(ctx, "storage")
		classes := map[string]string{"default": e.storageClass}
		if e.cluster.SharedStorage {
			classes["shared"] = e.sharedStorageClass
		} else {
			AddReportEntry("observation: shared storage class absent", e.sharedStorageClass)
		}
		// Created together and waited for after: the classes provision
		// at the same time.
		sets := map[string]*appsv1.StatefulSet{}
		for label, class := range classes {
			set, svc := statefulset.New(e.ns, "store-"+label, e.image(images.WebV1), statefulset.WithReplicas(1), statefulset.WithVolumeClaim("10Mi", class))
			e.create(ctx, set, svc)
			sets[class] = set
		}
		for class, set := range sets {
			e.waitRolledOut(ctx, set.Name)
			pod := statefulset.PodName(set.Name, 0)
			By(fmt.Sprintf("checking that %s mounts its own claim, Bound, of class %q", pod, class))
			claim := e.ownClaims(ctx, statefulset.ClaimTemplate, []string{pod}, nil)[pod]
			if class != "" {
				Expect(claim.Spec.StorageClassName).To(HaveValue(Equal(class)), "claim %s of %s is not of the class it asked for", claim.Name, pod)
			}
			e.exec(ctx, pod, "sh", "-c", "echo written > "+statefulset.DataDir+"/probe && sync")
			Expect(e.exec(ctx, pod, "cat", statefulset.DataDir+"/probe")).To(Equal("written"), "class %q, claim %s", class, claim.Name)
		}
	})
})
