//go:build e2e

package statefulset_test

import (
	"context"
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/stsconform/stsconform/framework/disruption"
	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/statefulset"
	"github.com/stsconform/stsconform/framework/zookeeper"
)

// Documented ("Running ZooKeeper, A Distributed System Coordinator", the
// tutorial seed 1 follows): "The servers in a ZooKeeper ensemble use natural
// numbers as unique identifiers, and store each server's identifier in a
// file called myid in the server's data directory" (the ordinal plus one);
// "The most basic sanity test is to write data to one ZooKeeper server and
// to read the data from another"; after the StatefulSet is deleted and
// re-created "the ensemble still serves the original value", because the
// volumeClaimTemplates' claims are kept; "the ensemble can elect a leader"
// with the stable names of the headless Service. All of it is asked of
// ZooKeeper itself (srvr, conf, create, sync + get), never read from files.
//
// The four specs share one ensemble (Ordered) and so run on one process;
// SpecPriority starts them first, so that they do not become the parallel
// phase's tail.
var _ = Describe("ZooKeeper ensemble", Ordered, SpecPriority(1), Label(guarantee.Conformance, guarantee.Ensemble.Label), func() {
	var (
		z     *zkEnsemble
		hello zookeeper.Znode
	)
	t := cfg.Timeouts
	BeforeAll(func(ctx SpecContext) {
		z = deployEnsemble(ctx, "zookeeper", cfg.StorageClass)
	}, NodeTimeout(t.Budget(t.Deploy())))

	// Every member's role; each member's server id (a wait per member);
	// the nodes and the recorded creation are read, not waited for.

	It("forms a quorum: one leader, the others followers, server id = ordinal + 1, one member per node", func(ctx SpecContext) {
		By("asking every member for its role (srvr) until one leads and the others follow")
		z.waitQuorum(ctx, z.all())

		By("asking every member which server id it runs as (conf)")
		Expect(zookeeper.IDsMatchOrdinals(z.serverIDs(ctx, z.all()))).To(Succeed())

		By("checking that no two members share a node (required anti-affinity)")
		nodes := z.nodes(ctx)
		Expect(nodes).To(HaveLen(len(z.all())))
		Expect(zookeeper.DistinctNodes(nodes)).To(Succeed())
		AddReportEntry("observation: members' nodes", fmt.Sprint(nodes))

		By("judging the recorded creation order (OrderedReady)")
		expectHeld(z.rec, z.rec.Snapshot(), guarantee.OrderedCreationInput{From: 0, To: 3})
	}, SpecTimeout(t.Budget(t.Quorum, 3*t.Quorum)))

	// The write; a read back from each of the two others.

	It("replicates a write on one member to each of the others", func(ctx SpecContext) {
		By("creating /hello = world through zk-0")
		hello = z.write(ctx, "zk-0", "/hello", "world")
		z.rec.Mark("zk-0 created " + hello.String())

		for _, pod := range without(z.all(), hello.Member) {
			By("reading /hello from " + pod + " after syncing it with the leader")
			z.readBack(ctx, pod, hello)
		}
	}, SpecTimeout(t.Budget(t.Quorum, 2*t.Quorum)))

	// The quorum before; the pods gone; deployed again; the read back; the
	// new leader.

	It("keeps the data and elects a leader again after the StatefulSet is deleted and re-created", func(ctx SpecContext) {
		Expect(hello.Path).NotTo(BeEmpty(), "the write spec did not run")
		before := z.waitQuorum(ctx, z.all())
		claims := z.ownClaims(ctx, z.all(), nil)

		By("deleting the StatefulSet " + z.ens.Set.Name + ": its pods go, its claims stay")
		Expect(statefulset.Delete(ctx, clients.Kube, z.ns(), z.ens.Set.Name)).To(Succeed())
		z.rec.Mark("StatefulSet deleted")
		Eventually(ctx, func(ctx context.Context) ([]corev1.Pod, error) {
			return statefulset.Pods(ctx, clients.Kube, z.ens.Set)
		}).WithTimeout(cfg.Timeouts.PodGone).WithPolling(cfg.Timeouts.Poll).Should(BeEmpty())

		By("applying the same manifest again")
		mark := z.rec.Snapshot().LastSeq()
		Expect(z.ens.Apply(ctx, clients.Kube)).To(Succeed())
		z.rec.Mark("manifest applied again")
		waitRolledOut(ctx, z.ns(), z.ens.Set.Name)
		By("checking every member mounts the claim it had, Bound")
		z.ownClaims(ctx, z.all(), claims)

		reader := z.all()[len(z.all())-1]
		By("reading /hello from " + reader + ", not the member that wrote it")
		Expect(reader).NotTo(Equal(hello.Member))
		z.readBack(ctx, reader, hello)

		By("checking a leader is elected again, in a new epoch")
		z.waitReelected(ctx, before, z.all(), "")

		By("checking every member found its myid on its claim rather than starting afresh")
		for _, pod := range z.all() {
			z.keptMyID(ctx, pod)
		}
		expectHeld(z.rec, z.rec.Snapshot().Since(mark), guarantee.OrderedCreationInput{From: 0, To: 3})
	}, SpecTimeout(t.Budget(t.Quorum, t.PodGone, t.Deploy(), t.Quorum, t.Quorum)))

	// The quorum before; the pod back; the re-election; a write; its
	// server id; two reads.
	//
	// ZooKeeper promises a leader again, not which member: the two others
	// may elect one before the pod is back, or the re-created pod may join
	// the election and win it (seen here: the survivors' rounds outlasted
	// its re-creation, 12 s, and it became the leader of the new epoch).
	// A member kept away, where the two others must elect among themselves
	// and take writes, is the disruption specs' case.
	It("elects a leader again when the leader's pod is deleted, and takes the pod back into the quorum with its data", func(ctx SpecContext) {
		Expect(hello.Path).NotTo(BeEmpty(), "the write spec did not run")
		before := z.waitQuorum(ctx, z.all())
		leader := zookeeper.LeaderOf(before)
		old := z.pod(ctx, leader)
		claim := z.ownClaims(ctx, []string{leader}, nil)

		By("deleting the leader's pod " + leader)
		mark := z.rec.Snapshot().LastSeq()
		Expect(clients.Kube.CoreV1().Pods(z.ns()).Delete(ctx, leader, metav1.DeleteOptions{})).To(Succeed())
		z.rec.Mark("leader " + leader + " deleted")

		By("waiting for " + leader + " to come back and a leader elected again, in a newer epoch")
		waitTimeline(ctx, z.rec, cfg.Timeouts.PodReady, "a new "+leader+" Ready", readyAgain(leader, old.UID, mark))
		after := z.waitReelected(ctx, before, z.all(), "")
		z.rec.Mark("leader elected again: " + zookeeper.LeaderOf(after))
		AddReportEntry("observation: "+leader+" came back as", after[leader].Mode)

		By("writing after the re-election")
		rest := without(z.all(), leader)
		written := z.write(ctx, rest[0], "/written-after-"+leader+"-deleted", "after re-election")

		By("checking " + leader + " keeps its identity and has the data, old and new")
		ids := z.serverIDs(ctx, []string{leader})
		Expect(zookeeper.IDsMatchOrdinals(ids)).To(Succeed())
		z.ownClaims(ctx, []string{leader}, claim)
		z.keptMyID(ctx, leader)
		z.readBack(ctx, leader, hello)
		z.readBack(ctx, leader, written)
	}, SpecTimeout(t.Budget(t.Quorum, t.PodReady, t.Quorum, t.Quorum, t.Quorum, 2*t.Quorum)))
})

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
		requireSchedulableNodes(ctx, 4, "3 members with required anti-affinity plus a free node to move to")
		// Node failure needs claims that outlive a node; a drain does not.
		storage = cfg.StorageClass
		if shared.SharedStorage {
			storage = cfg.SharedStorageClass
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
		waitDisruptionsAllowed(ctx, z.ns(), z.ens.Budget.Name, 1)
		nodes := z.nodes(ctx)
		leader := zookeeper.LeaderOf(before)
		second := without(z.all(), leader)[0]

		// The drained member must stay away while the second drain is tried:
		// cordon every schedulable node without a member, so it has nowhere
		// to go (anti-affinity keeps it off the others).
		freeNode = freeNodes(ctx, nodes)
		for _, n := range freeNode {
			By("cordoning " + n + ", a node without a member, so the drained member cannot come back yet")
			Expect(cordon(ctx, n)).To(Succeed())
			DeferCleanup(uncordon, n, NodeTimeout(cfg.Timeouts.Cleanup))
		}

		By("draining " + nodes[leader] + ", the node of the leader " + leader + ": the budget allows it")
		DeferCleanup(uncordon, nodes[leader], NodeTimeout(cfg.Timeouts.Cleanup))
		old := z.pod(ctx, leader)
		claim := z.ownClaims(ctx, []string{leader}, nil)
		mark := z.rec.Snapshot().LastSeq()
		Expect(drainNode(ctx, nodes[leader], cfg.Timeouts.Drain)).To(Succeed())
		z.rec.Mark("drained " + nodes[leader])
		waitDisruptionsAllowed(ctx, z.ns(), z.ens.Budget.Name, 0)

		By("evicting " + second + " while " + leader + " is away: refused by the budget with 429")
		err := disruption.Evict(ctx, clients.Kube, z.ns(), second)
		Expect(disruption.IsBlockedByPDB(err)).To(BeTrue(), "eviction of %s with one member away answered %v", second, err)
		AddReportEntry("observation: eviction refusal", disruption.BlockReason(err))

		By("draining " + nodes[second] + ", the node of " + second + ": refused, " + second + " stays")
		DeferCleanup(uncordon, nodes[second], NodeTimeout(cfg.Timeouts.Cleanup))
		secondPod := z.pod(ctx, second)
		err = drainNode(ctx, nodes[second], cfg.Timeouts.DrainBlocked)
		Expect(err).To(HaveOccurred(), "drain of %s succeeded although the budget allowed no disruption", nodes[second])
		Expect(err.Error()).To(ContainSubstring("disruption budget"), "the drain failed, but not on the budget")
		AddReportEntry("observation: blocked drain", err.Error())
		Expect(z.pod(ctx, second).UID).To(Equal(secondPod.UID), "%s was replaced during a drain the budget refused", second)

		rest := without(z.all(), leader)
		By("checking the two remaining members keep a quorum and take writes")
		z.waitReelected(ctx, before, rest, leader)
		during := z.write(ctx, second, "/written-during-drain", "quorum of two")

		By("uncordoning the nodes: " + leader + " comes back and catches up")
		for _, n := range append([]string{nodes[leader], nodes[second]}, freeNode...) {
			uncordon(ctx, n)
		}
		waitTimeline(ctx, z.rec, cfg.Timeouts.Reschedule, "a new "+leader+" Ready", readyAgain(leader, old.UID, mark))
		z.waitQuorum(ctx, z.all())
		z.ownClaims(ctx, []string{leader}, claim)
		z.readBack(ctx, leader, hello)
		z.readBack(ctx, leader, during)
		waitDisruptionsAllowed(ctx, z.ns(), z.ens.Budget.Name, 1)
	}, SpecTimeout(t.Budget(t.Quorum, t.PodReady, t.Drain, t.PodReady, t.DrainBlocked+disruption.EvictRetryDelay, 2*t.Quorum,
		3*t.ControllerObserve, t.Reschedule, t.Quorum, 2*t.Quorum, t.PodReady)))

	// The quorum; the re-election and a write; NotReady; the member back;
	// the quorum, its server id and two reads.

	It("keeps taking writes when a member's node is lost, and gets the member back elsewhere with its data", Label(guarantee.Slow), func(ctx SpecContext) {
		requireNodeFailure(ctx)
		before := z.waitQuorum(ctx, z.all())
		victim := zookeeper.LeaderOf(before)
		old := z.pod(ctx, victim)
		claim := z.ownClaims(ctx, []string{victim}, nil)
		node := old.Spec.NodeName
		requireKindNode(ctx, node)

		By("stopping " + node + ", the node of the leader " + victim)
		stopNode(ctx, node)
		mark := z.rec.Mark("node " + node + " stopped")

		rest := without(z.all(), victim)
		By("checking the remaining members elect a leader and take writes")
		z.waitReelected(ctx, before, rest, victim)
		during := z.write(ctx, rest[0], "/written-without-"+node, "quorum of two")

		By("marking " + node + " out of service once it is NotReady: " + victim + " is replaced")
		markOutOfService(ctx, node)
		z.rec.Mark("node " + node + " tainted out-of-service")
		waitTimeline(ctx, z.rec, cfg.Timeouts.Reschedule, "a new "+victim+" Ready", readyAgain(victim, old.UID, mark))
		moved := z.pod(ctx, victim)
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
