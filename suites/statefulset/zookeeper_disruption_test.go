//go:build e2e

package statefulset_test

import (
	"fmt"
	"slices"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/stsconform/stsconform/framework/disruption"
	"github.com/stsconform/stsconform/framework/nodefailure"
)

// freeNodes are the schedulable Ready nodes that run none of the given
// pods (pod -> node).
func freeNodes(ctx SpecContext, used map[string]string) []string {
	GinkgoHelper()
	var free []string
	for _, n := range requireSchedulableNodes(ctx, 0, "") {
		if !slices.Contains(mapValues(used), n.Name) {
			free = append(free, n.Name)
		}
	}
	return free
}

func cordon(ctx SpecContext, node string) error { return disruption.Cordon(ctx, clients.Kube, node) }

// uncordon makes node schedulable again and waits until the scheduler may
// use it: the node lifecycle controller lifts the
// node.kubernetes.io/unschedulable taint only after the flag is cleared, and
// a spec counting schedulable nodes right after a drain's cleanup saw one
// node short and skipped.
func uncordon(ctx SpecContext, node string) {
	GinkgoHelper()
	Expect(disruption.Uncordon(ctx, clients.Kube, node)).To(Succeed())
	Eventually(ctx, getNode(node)).WithTimeout(cfg.Timeouts.ControllerObserve).WithPolling(cfg.Timeouts.Poll).Should(beSchedulableNode())
}

func drainNode(ctx SpecContext, node string, timeout time.Duration) error {
	return disruption.Drain(ctx, disruption.DrainInput{Client: clients.Kube, Node: node, Timeout: timeout, Out: GinkgoWriter, ErrOut: GinkgoWriter})
}

// requireNodeFailure skips, with the reason, where a node cannot be stopped
// and a member's claim would not outlive its node.
func requireNodeFailure(ctx SpecContext) {
	GinkgoHelper()
	if !shared.Kind {
		Skip("node failure is simulated by stopping a kind node's container; this cluster is not a kind cluster this host's Docker can reach")
	}
	if !shared.SharedStorage {
		Skip(fmt.Sprintf("no StorageClass %q whose volumes survive a node (node-local volumes pin the pod to the dead node); pass --shared-storage-class", cfg.SharedStorageClass))
	}
}

func requireKindNode(ctx SpecContext, node string) {
	GinkgoHelper()
	isKind, err := nodefailure.IsKindNode(ctx, node)
	Expect(err).NotTo(HaveOccurred())
	if !isKind {
		Skip("node " + node + " is not a kind node container")
	}
}

// stopNode stops a kind node's container; a cleanup starts it again and
// waits until it is schedulable (Ready, its lost-node taints lifted), so
// that the next spec finds every node usable.
func stopNode(ctx SpecContext, node string) {
	GinkgoHelper()
	DeferCleanup(func(ctx SpecContext) {
		Expect(nodefailure.Start(ctx, node)).To(Succeed())
		Eventually(ctx, getNode(node)).WithTimeout(cfg.Timeouts.NodeReady).WithPolling(cfg.Timeouts.Poll).Should(beSchedulableNode())
	}, NodeTimeout(cfg.Timeouts.NodeReady+cfg.Timeouts.Slack))
	Expect(nodefailure.Stop(ctx, node)).To(Succeed())
}

// markOutOfService waits until the stopped node is NotReady and taints it
// node.kubernetes.io/out-of-service; a cleanup removes the taint before the
// node is started again.
func markOutOfService(ctx SpecContext, node string) {
	GinkgoHelper()
	Eventually(ctx, getNode(node)).WithTimeout(cfg.Timeouts.NodeNotReady).WithPolling(cfg.Timeouts.Poll).Should(beNotReadyNode())
	DeferCleanup(func(ctx SpecContext) {
		Expect(nodefailure.ClearOutOfService(ctx, clients.Kube, node)).To(Succeed())
	}, NodeTimeout(cfg.Timeouts.Cleanup))
	Expect(nodefailure.MarkOutOfService(ctx, clients.Kube, node)).To(Succeed())
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
