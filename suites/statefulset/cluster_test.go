//go:build e2e

package statefulset_test

import (
	"context"
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	"github.com/stsconform/stsconform/framework/dns"
	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
)

// What every guarantee rests on, on a cluster nobody built by hand: names
// resolve through CoreDNS from every node, pods reach pods on every other
// node, and each storage class binds and writes. When these fail, the other
// specs' failures are most likely the cluster's, not the controller's.
var _ = Describe("Test cluster", Label(guarantee.Cluster.Label), func() {
	It("resolves pod.service names and reaches a pod on every other node, from every node", Label(guarantee.DNS), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "mesh")
		nodes, err := clients.Kube.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
		Expect(err).NotTo(HaveOccurred())
		svc := &corev1.Service{
			ObjectMeta: metav1.ObjectMeta{Namespace: e.ns, Name: "mesh"},
			Spec: corev1.ServiceSpec{ClusterIP: corev1.ClusterIPNone, Selector: map[string]string{"app": "mesh"},
				Ports: []corev1.ServicePort{{Port: statefulset.Port, TargetPort: intstr.FromInt32(statefulset.Port)}}},
		}
		_, err = clients.Kube.CoreV1().Services(e.ns).Create(ctx, svc, metav1.CreateOptions{})
		Expect(err).NotTo(HaveOccurred())
		var pods []string
		for i, n := range nodes.Items {
			name := fmt.Sprintf("mesh-%d", i)
			pods = append(pods, name)
			_, err := clients.Kube.CoreV1().Pods(e.ns).Create(ctx, meshPod(e.ns, name, n.Name), metav1.CreateOptions{})
			Expect(err).NotTo(HaveOccurred())
		}
		ips := map[string]string{}
		for _, name := range pods {
			Eventually(ctx, getPod(e.ns, name)).WithTimeout(cfg.Timeouts.PodReady).WithPolling(cfg.Timeouts.Poll).
				Should(beReadyPod(), "pod %s Running and Ready", name)
			p, err := getPod(e.ns, name)(ctx)
			Expect(err).NotTo(HaveOccurred())
			ips[name] = p.Status.PodIP
		}
		execer := dns.PodExecer(clients.Config, clients.Kube, cfg.Timeouts.Exec)
		for _, from := range pods {
			ref := dns.PodRef{Namespace: e.ns, Name: from, Container: statefulset.Container}
			for _, to := range pods {
				if from == to {
					continue
				}
				waitDNS(ctx, fmt.Sprintf("%s resolving %s.mesh", from, to), func(ctx context.Context) (string, error) {
					return dns.ResolveShort(ctx, execer, ref, to+".mesh")
				}, Equal(ips[to]))
				Eventually(ctx, func(ctx context.Context) (string, error) {
					return execIn(ctx, e.ns, from, "timeout", "3", "wget", "-q", "-O", "-", fmt.Sprintf("http://%s:%d/version", ips[to], statefulset.Port))
				}).WithTimeout(cfg.Timeouts.DNS).WithPolling(cfg.Timeouts.Poll).Should(Equal("1"), "%s reaching %s at %s", from, to, ips[to])
			}
		}
	})

	It("binds and writes a claim in each storage class", func(ctx SpecContext) {
		e := newSpecEnv(ctx, "storage")
		classes := map[string]string{"default": cfg.StorageClass}
		if shared.SharedStorage {
			classes["shared"] = cfg.SharedStorageClass
		} else {
			AddReportEntry("observation: shared storage class absent", cfg.SharedStorageClass)
		}
		// Created together and waited for after: the classes provision
		// at the same time.
		sets := map[string]*appsv1.StatefulSet{}
		for label, class := range classes {
			set, svc := statefulset.New(e.ns, "store-"+label, image(images.WebV1), statefulset.WithReplicas(1), statefulset.WithVolumeClaim("10Mi", class))
			e.create(ctx, set, svc)
			sets[class] = set
		}
		for class, set := range sets {
			waitRolledOut(ctx, e.ns, set.Name)
			pod := statefulset.PodName(set.Name, 0)
			By(fmt.Sprintf("checking that %s mounts its own claim, Bound, of class %q", pod, class))
			claim := expectOwnClaims(ctx, e.ns, statefulset.ClaimTemplate, []string{pod}, nil)[pod]
			if class != "" {
				Expect(claim.Spec.StorageClassName).To(HaveValue(Equal(class)), "claim %s of %s is not of the class it asked for", claim.Name, pod)
			}
			e.exec(ctx, pod, "sh", "-c", "echo written > "+statefulset.DataDir+"/probe && sync")
			Expect(e.exec(ctx, pod, "cat", statefulset.DataDir+"/probe")).To(Equal("written"), "class %q, claim %s", class, claim.Name)
		}
	})
})

// meshPod is a web pod pinned to a node, named <name>.mesh in DNS.
func meshPod(ns, name, node string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: map[string]string{"app": "mesh"}},
		Spec: corev1.PodSpec{
			NodeName: node, Hostname: name, Subdomain: "mesh",
			TerminationGracePeriodSeconds: ptr.To[int64](1),
			Tolerations:                   []corev1.Toleration{{Operator: corev1.TolerationOpExists}},
			Containers: []corev1.Container{{
				Name: statefulset.Container, Image: image(images.WebV1), ImagePullPolicy: corev1.PullIfNotPresent,
				Ports: []corev1.ContainerPort{{ContainerPort: statefulset.Port}},
				ReadinessProbe: &corev1.Probe{
					ProbeHandler:  corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/version"}}},
					PeriodSeconds: 1,
				},
			}},
		},
	}
}
