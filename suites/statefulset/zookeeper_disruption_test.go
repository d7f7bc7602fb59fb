//go:build e2e

package statefulset_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/stsconform/stsconform/framework/disruption"
	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/nodefailure"
	"github.com/stsconform/stsconform/framework/timeline"
	"github.com/stsconform/stsconform/framework/zookeeper"
)

// Documented (Running ZooKeeper, "Tolerating Node failure" and
// "Surviving maintenance"; Specifying a Disruption Budget; Non-graceful
// node shutdown): with minAvailable 2 of 3 the budget allows one voluntary
// disruption, so a drain of one member's node proceeds while a second,
// before that member is back, is refused (429) and the ensemble keeps its
// quorum; a member whose node is lost is replaced only once the node is
// marked out of service, then comes back elsewhere with its claim.
var _ = Describe("ZooKeeper ensemble under disruption", Ordered, Serial, Label(guarantee.Conformance, guarantee.Ensemble.Label, guarantee.Disruptive), func() {
	var (
		z        *zkEnsemble
		hello    zookeeper.Znode
		storage  string
		freeNode []string
	)
	t := cfg.Timeouts
	BeforeAll(func(ctx SpecContext) {
		requireNodes(ctx, 4, "3 members with required anti-affinity plus a free node to move to")
		// Node failure needs claims that outlive a node; a drain does not.
		r := thisRun()
		storage = r.storageClass
		if r.cluster.SharedStorage {
			storage = r.sharedStorageClass
		}
		z = deployEnsemble(ctx, "zookeeper-disruption", storage)
		hello = z.write(ctx, "zk-0", "/hello", "world")
		// Cleanup: newSpecEnv's wait for earlier specs' namespaces.
	}, NodeTimeout(t.Budget(t.Cleanup, t.Deploy(), t.Quorum)))

	// The quorum and the budget; the allowed drain and the budget after it;
	// the refused one (which overruns by the drain library's retry delay);
	// the re-election and a write; three uncordons (the two drained nodes
	// and kind-config's one free node); the member back, the quorum, two
	// reads and the budget again.
	It("lets one member's node drain, refuses a second drain while it is away, and keeps a quorum", func(ctx SpecContext) {
		before := z.waitQuorum(ctx, z.all())
		z.waitDisruptionsAllowed(ctx, z.ens.Budget.Name, 1)
		nodes := z.nodes(ctx)
		leader := zookeeper.LeaderOf(before)
		second := zookeeper.Others(z.all(), leader)[0]

		// The drained member must stay away while the second drain is tried:
		// cordon every schedulable node without a member, so it has nowhere
		// to go (anti-affinity keeps it off the others).
		freeNode = nodefailure.FreeNodes(requireNodes(ctx, 0, ""), nodes)
		for _, n := range freeNode {
			By("cordoning " + n + ", a node without a member, so the drained member cannot come back yet")
			z.cordon(ctx, n)
		}

		By("draining " + nodes[leader] + ", the node of the leader " + leader + ": the budget allows it")
		DeferCleanup(z.uncordon, nodes[leader], NodeTimeout(t.Cleanup))
		old := z.getPod(ctx, leader)
		claim := z.ownClaims(ctx, []string{leader}, nil)
		mark := z.rec.Snapshot().LastSeq()
		Expect(z.drain(ctx, nodes[leader], t.Drain)).To(Succeed())
		z.rec.Mark("drained " + nodes[leader])
		z.waitDisruptionsAllowed(ctx, z.ens.Budget.Name, 0)

		By("evicting " + second + " while " + leader + " is away: refused by the budget with 429")
		err := disruption.Evict(ctx, z.c.Kube, z.ns, second)
		Expect(disruption.IsBlockedByPDB(err)).To(BeTrue(), "eviction of %s with one member away answered %v", second, err)
		AddReportEntry("observation: eviction refusal", disruption.BlockReason(err))

		By("draining " + nodes[second] + ", the node of " + second + ": refused, " + second + " stays")
		DeferCleanup(z.uncordon, nodes[second], NodeTimeout(t.Cleanup))
		secondPod := z.getPod(ctx, second)
		err = z.drain(ctx, nodes[second], t.DrainBlocked)
		Expect(err).To(HaveOccurred(), "drain of %s succeeded although the budget allowed no disruption", nodes[second])
		Expect(err.Error()).To(ContainSubstring("disruption budget"), "the drain failed, but not on the budget")
		AddReportEntry("observation: blocked drain", err.Error())
		Expect(z.getPod(ctx, second).UID).To(Equal(secondPod.UID), "%s was replaced during a drain the budget refused", second)

		rest := zookeeper.Others(z.all(), leader)
		By("checking the two remaining members keep a quorum and take writes")
		z.waitReelected(ctx, before, rest, leader)
		during := z.write(ctx, second, "/written-during-drain", "quorum of two")

		By("uncordoning the nodes: " + leader + " comes back and catches up")
		for _, n := range append([]string{nodes[leader], nodes[second]}, freeNode...) {
			z.uncordon(ctx, n)
		}
		waitTimeline(ctx, z.rec, t.Reschedule, "a new "+leader+" Ready", timeline.ReadyAgain(leader, string(old.UID), mark))
		z.waitQuorum(ctx, z.all())
		z.ownClaims(ctx, []string{leader}, claim)
		z.readBack(ctx, leader, hello)
		z.readBack(ctx, leader, during)
		z.waitDisruptionsAllowed(ctx, z.ens.Budget.Name, 1)
	}, SpecTimeout(t.Budget(t.Quorum, t.PodReady, t.Drain, t.PodReady, t.DrainBlocked+disruption.EvictRetryDelay, 2*t.Quorum,
		3*t.ControllerObserve, t.Reschedule, t.Quorum, 2*t.Quorum, t.PodReady)))

	// The quorum; the re-election and a write; NotReady; the member back;
	// the quorum, its server id and two reads.
	It("keeps taking writes when a member's node is lost, and gets the member back elsewhere with its data", Label(guarantee.Slow), func(ctx SpecContext) {
		requireNodeFailure()
		before := z.waitQuorum(ctx, z.all())
		victim := zookeeper.LeaderOf(before)
		old := z.getPod(ctx, victim)
		claim := z.ownClaims(ctx, []string{victim}, nil)
		node := old.Spec.NodeName
		requireKindNode(ctx, node)

		By("stopping " + node + ", the node of the leader " + victim)
		z.stopNode(ctx, node)
		mark := z.rec.Mark("node " + node + " stopped")

		rest := zookeeper.Others(z.all(), victim)
		By("checking the remaining members elect a leader and take writes")
		z.waitReelected(ctx, before, rest, victim)
		during := z.write(ctx, rest[0], "/written-without-"+node, "quorum of two")

		By("marking " + node + " out of service once it is NotReady: " + victim + " is replaced")
		z.waitNotReady(ctx, node)
		z.markOutOfService(ctx, node)
		z.rec.Mark("node " + node + " tainted out-of-service")
		waitTimeline(ctx, z.rec, t.Reschedule, "a new "+victim+" Ready", timeline.ReadyAgain(victim, string(old.UID), mark))
		moved := z.getPod(ctx, victim)
		Expect(moved.Spec.NodeName).NotTo(Equal(node))
		AddReportEntry("observation: "+victim+" moved", node+" -> "+moved.Spec.NodeName)

		By("checking " + victim + " rejoins as a follower with its identity and its data")
		final := z.waitQuorum(ctx, z.all())
		Expect(final[victim].Mode).To(Equal(zookeeper.Follower), "%s came back as %s", victim, final[victim])
		Expect(zookeeper.IDsMatchOrdinals(z.serverIDs(ctx, []string{victim}))).To(Succeed())
		z.ownClaims(ctx, []string{victim}, claim)
		z.keptMyID(ctx, victim)
		z.readBack(ctx, victim, hello)
		z.readBack(ctx, victim, during)
	}, SpecTimeout(t.Budget(t.Quorum, 2*t.Quorum, t.NodeNotReady, t.Reschedule, 2*t.Quorum, 2*t.Quorum)))
})
