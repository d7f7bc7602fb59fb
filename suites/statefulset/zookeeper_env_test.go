//go:build e2e

package statefulset_test

import (
	"context"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"

	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
	"github.com/stsconform/stsconform/framework/timeline"
	"github.com/stsconform/stsconform/framework/zookeeper"
)

// zkEnsemble is one ZooKeeper ensemble shared by the specs of an Ordered
// container, with the timeline of its pods. Its methods take the steps of
// framework/zookeeper and assert them, putting what the members answered
// in the spec's report.
type zkEnsemble struct {
	*specEnv
	ens *zookeeper.Ensemble
	rec *timeline.Recorder
}

// deployEnsemble renders fixtures/zookeeper in a new namespace, starts
// recording its pods before they exist, applies it and waits until it is
// rolled out. It is meant for BeforeAll: its cleanups (timeline,
// diagnostics, namespace) run after the container's last spec.
func deployEnsemble(ctx SpecContext, base, storageClass string) *zkEnsemble {
	GinkgoHelper()
	e := newSpecEnv(ctx, base)
	ens, err := zookeeper.Render(zookeeper.ManifestInput{Namespace: e.ns, Image: e.image(images.ZooKeeper), StorageClass: storageClass})
	Expect(err).NotTo(HaveOccurred())
	e.avoidRunnerNode(ens.Set)
	z := &zkEnsemble{specEnv: e, ens: ens, rec: e.recordAcross(base, ens.Set)}
	By("applying the ensemble: headless and client Services, ConfigMap, PodDisruptionBudget, StatefulSet " + ens.Set.Name)
	Expect(ens.Apply(ctx, e.c.Kube)).To(Succeed())
	e.waitFirstRollout(ctx, ens.Set.Name)
	return z
}

func (z *zkEnsemble) all() []string { return z.ens.MemberNames() }

func (z *zkEnsemble) member(pod string) zookeeper.Server {
	return z.ens.Member(z.c.Config, z.c.Kube, pod, 0)
}

func (z *zkEnsemble) members(pods []string) []zookeeper.Server {
	out := make([]zookeeper.Server, len(pods))
	for i, p := range pods {
		out[i] = z.member(p)
	}
	return out
}

// wait bounds a step: an election, or a follower noticing a lost leader.
func (z *zkEnsemble) wait() zookeeper.Wait {
	return zookeeper.Wait{Timeout: z.t.Quorum, Poll: z.t.Poll}
}

// waitQuorum waits until the given members all answer srvr and serve in one
// quorum (one leader, the others followers), and returns their states.
func (z *zkEnsemble) waitQuorum(ctx SpecContext, pods []string) map[string]zookeeper.ServerState {
	GinkgoHelper()
	states, err := zookeeper.WaitQuorum(ctx, z.members(pods), z.wait())
	failOn(err)
	AddReportEntry("observation: ensemble state", zookeeper.DescribeStates(states))
	return states
}

// waitReelected waits until pods serve with a leader elected after before
// (a newer epoch) that is not gone.
func (z *zkEnsemble) waitReelected(ctx SpecContext, before map[string]zookeeper.ServerState, pods []string, gone string) map[string]zookeeper.ServerState {
	GinkgoHelper()
	states, err := zookeeper.WaitReelected(ctx, z.members(pods), before, gone, z.wait())
	failOn(err)
	AddReportEntry("observation: ensemble state after re-election", zookeeper.DescribeStates(states))
	return states
}

// write creates a znode through a member (zookeeper.Write).
func (z *zkEnsemble) write(ctx SpecContext, pod, path, data string) zookeeper.Znode {
	GinkgoHelper()
	written, err := zookeeper.Write(ctx, z.member(pod), path, data, z.wait())
	failOn(err)
	AddReportEntry("observation: written", written.String())
	return written
}

// readBack reads the znode from pod and judges it against the write
// (zookeeper.WaitReadBack).
func (z *zkEnsemble) readBack(ctx SpecContext, pod string, written zookeeper.Znode) {
	GinkgoHelper()
	failOn(zookeeper.WaitReadBack(ctx, z.member(pod), written, z.wait()))
}

// serverIDs asks each member which server id it runs as (conf).
func (z *zkEnsemble) serverIDs(ctx SpecContext, pods []string) map[string]int {
	GinkgoHelper()
	ids, err := zookeeper.ServerIDs(ctx, z.members(pods), z.wait())
	failOn(err)
	return ids
}

// nodes maps each live member pod to its node.
func (z *zkEnsemble) nodes(ctx context.Context) map[string]string {
	GinkgoHelper()
	nodes, err := statefulset.PodNodes(ctx, z.c.Kube, z.ens.Set)
	Expect(err).NotTo(HaveOccurred())
	return nodes
}

// keptMyID checks that the member's myid came from its claim, not from a
// first start on an empty volume (zookeeper.KeptMyID).
func (z *zkEnsemble) keptMyID(ctx SpecContext, pod string) {
	GinkgoHelper()
	failOn(zookeeper.KeptMyID(ctx, z.c.Kube, z.ns, pod))
}

// ownClaims is specEnv.ownClaims for members: each mounts its own claim,
// Bound, and, for a member in kept, the very claim it had then.
func (z *zkEnsemble) ownClaims(ctx SpecContext, pods []string, kept map[string]*corev1.PersistentVolumeClaim) map[string]*corev1.PersistentVolumeClaim {
	GinkgoHelper()
	return z.specEnv.ownClaims(ctx, z.ens.Set.Spec.VolumeClaimTemplates[0].Name, pods, kept)
}
