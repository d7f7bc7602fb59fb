//go:build e2e

package statefulset_test

import (
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/stsconform/stsconform/framework/nodefailure"
)

// What a spec needs of the cluster; a cluster without it skips the spec
// with the reason, so that the report says "not verified" and why.

// requireSchedulableNodes skips the spec, with the reason, on a cluster with
// fewer schedulable worker nodes than it needs.
func requireSchedulableNodes(ctx SpecContext, n int, why string) []corev1.Node {
	GinkgoHelper()
	list, err := clients.Kube.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	Expect(err).NotTo(HaveOccurred())
	var ok []corev1.Node
	var out []string
	for _, node := range list.Items {
		reason := nodefailure.WhyUnschedulable(&node)
		if reason == "" && node.Name == shared.RunnerNode {
			reason = "the in-cluster runner's node" // takes no workload (avoidRunnerNode)
		}
		if reason != "" {
			out = append(out, node.Name+" ("+reason+")")
			continue
		}
		ok = append(ok, node)
	}
	if len(ok) < n {
		Skip(fmt.Sprintf("needs %d schedulable Ready nodes (%s); the cluster has %d; left out: %s", n, why, len(ok), strings.Join(out, ", ")))
	}
	return ok
}
