//go:build e2e

package statefulset_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/stsconform/stsconform/framework/disruption"
	"github.com/stsconform/stsconform/framework/nodefailure"
)

// What the disruptive specs do to nodes, each with the cleanup that gives
// the node back to the next spec.

func (r *runEnv) nodeWait(node string, timeout time.Duration) nodefailure.NodeWaitInput {
	return nodefailure.NodeWaitInput{Client: r.c.Kube, Node: node, Timeout: timeout, Poll: r.t.Poll}
}

// cordon marks node unschedulable; a cleanup uncordons it.
func (r *runEnv) cordon(ctx SpecContext, node string) {
	GinkgoHelper()
	DeferCleanup(r.uncordon, node, NodeTimeout(r.t.Cleanup))
	Expect(disruption.Cordon(ctx, r.c.Kube, node)).To(Succeed())
}

// uncordon makes node schedulable again and waits until the scheduler may
// use it (nodefailure.WaitSchedulable).
func (r *runEnv) uncordon(ctx SpecContext, node string) {
	GinkgoHelper()
	Expect(disruption.Uncordon(ctx, r.c.Kube, node)).To(Succeed())
	failOn(nodefailure.WaitSchedulable(ctx, r.nodeWait(node, r.t.ControllerObserve)))
}

// drain drains node within timeout, its progress in the spec's output. The
// node stays cordoned: call uncordon, or register it as a cleanup first.
func (r *runEnv) drain(ctx SpecContext, node string, timeout time.Duration) error {
	return disruption.Drain(ctx, disruption.DrainInput{Client: r.c.Kube, Node: node, Timeout: timeout, Out: GinkgoWriter, ErrOut: GinkgoWriter})
}

// stopNode stops a kind node's container; a cleanup starts it again and
// waits until it is schedulable, so that the next spec finds every node
// usable. Register it before markOutOfService, whose cleanup must run
// first.
func (r *runEnv) stopNode(ctx SpecContext, node string) {
	GinkgoHelper()
	DeferCleanup(func(ctx SpecContext) {
		failOn(nodefailure.Restart(ctx, r.nodeWait(node, r.t.NodeReady)))
	}, NodeTimeout(r.t.NodeReady+r.t.Slack))
	Expect(nodefailure.Stop(ctx, node)).To(Succeed())
}

// waitNotReady waits until the stopped node is NotReady.
func (r *runEnv) waitNotReady(ctx SpecContext, node string) {
	GinkgoHelper()
	failOn(nodefailure.WaitNotReady(ctx, r.nodeWait(node, r.t.NodeNotReady)))
}

// markOutOfService taints the node node.kubernetes.io/out-of-service; a
// cleanup removes the taint before the node is started again.
func (r *runEnv) markOutOfService(ctx SpecContext, node string) {
	GinkgoHelper()
	DeferCleanup(func(ctx SpecContext) {
		Expect(nodefailure.ClearOutOfService(ctx, r.c.Kube, node)).To(Succeed())
	}, NodeTimeout(r.t.Cleanup))
	Expect(nodefailure.MarkOutOfService(ctx, r.c.Kube, node)).To(Succeed())
}

// waitDisruptionsAllowed waits until the PodDisruptionBudget's controller
// has observed it and it allows exactly n disruptions.
func (e *specEnv) waitDisruptionsAllowed(ctx SpecContext, name string, n int32) {
	GinkgoHelper()
	failOn(disruption.WaitDisruptionsAllowed(ctx, disruption.BudgetInput{Client: e.c.Kube, Namespace: e.ns, Name: name, Allowed: n, Timeout: e.t.PodReady, Poll: e.t.Poll}))
}
