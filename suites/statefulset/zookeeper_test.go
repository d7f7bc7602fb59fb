//go:build e2e

package statefulset_test

import (
	"context"
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/statefulset"
	"github.com/stsconform/stsconform/framework/timeline"
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
		z = deployEnsemble(ctx, "zookeeper", thisRun().storageClass)
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

		for _, pod := range zookeeper.Others(z.all(), hello.Member) {
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
		Expect(statefulset.Delete(ctx, z.c.Kube, z.ns, z.ens.Set.Name)).To(Succeed())
		z.rec.Mark("StatefulSet deleted")
		Eventually(ctx, func(ctx context.Context) ([]corev1.Pod, error) {
			return statefulset.Pods(ctx, z.c.Kube, z.ens.Set)
		}).WithTimeout(t.PodGone).WithPolling(t.Poll).Should(BeEmpty())

		By("applying the same manifest again")
		mark := z.rec.Snapshot().LastSeq()
		Expect(z.ens.Apply(ctx, z.c.Kube)).To(Succeed())
		z.rec.Mark("manifest applied again")
		z.waitRolledOut(ctx, z.ens.Set.Name)
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
		old := z.getPod(ctx, leader)
		claim := z.ownClaims(ctx, []string{leader}, nil)

		By("deleting the leader's pod " + leader)
		mark := z.rec.Snapshot().LastSeq()
		Expect(z.c.Kube.CoreV1().Pods(z.ns).Delete(ctx, leader, metav1.DeleteOptions{})).To(Succeed())
		z.rec.Mark("leader " + leader + " deleted")

		By("waiting for " + leader + " to come back and a leader elected again, in a newer epoch")
		waitTimeline(ctx, z.rec, t.PodReady, "a new "+leader+" Ready", timeline.ReadyAgain(leader, string(old.UID), mark))
		after := z.waitReelected(ctx, before, z.all(), "")
		z.rec.Mark("leader elected again: " + zookeeper.LeaderOf(after))
		AddReportEntry("observation: "+leader+" came back as", after[leader].Mode)

		By("writing after the re-election")
		rest := zookeeper.Others(z.all(), leader)
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
