//go:build e2e

package statefulset_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
	"github.com/stsconform/stsconform/framework/timeline"
	"github.com/stsconform/stsconform/framework/zookeeper"
)

// zkEnsemble is one ZooKeeper ensemble shared by the specs of an Ordered
// container, with the timeline of its pods.
type zkEnsemble struct {
	env *specEnv
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
	ens, err := zookeeper.Render(zookeeper.ManifestInput{Namespace: e.ns, Image: image(images.ZooKeeper), StorageClass: storageClass})
	Expect(err).NotTo(HaveOccurred())
	avoidRunnerNode(ens.Set)
	z := &zkEnsemble{env: e, ens: ens, rec: recordAcross(base, ens.Set)}
	By("applying the ensemble: headless and client Services, ConfigMap, PodDisruptionBudget, StatefulSet " + ens.Set.Name)
	Expect(ens.Apply(ctx, clients.Kube)).To(Succeed())
	waitRolledOut(ctx, e.ns, ens.Set.Name)
	return z
}

func (z *zkEnsemble) ns() string { return z.env.ns }

func (z *zkEnsemble) all() []string { return z.ens.MemberNames() }

func (z *zkEnsemble) member(pod string) zookeeper.Member {
	return z.ens.Member(clients.Config, clients.Kube, pod, 0)
}

func (z *zkEnsemble) members(pods []string) []zookeeper.Member {
	out := make([]zookeeper.Member, len(pods))
	for i, p := range pods {
		out[i] = z.member(p)
	}
	return out
}

// waitQuorum waits until the given members all answer srvr and serve in one
// quorum (one leader, the others followers), and returns their states.
func (z *zkEnsemble) waitQuorum(ctx SpecContext, pods []string) map[string]zookeeper.ServerState {
	GinkgoHelper()
	return z.waitStates(ctx, pods, zookeeper.OneLeader, fmt.Sprintf("members %v serving with one leader", pods), "observation: ensemble state")
}

// waitReelected waits until pods serve with a leader elected after before
// (a newer epoch) that is not gone.
func (z *zkEnsemble) waitReelected(ctx SpecContext, before map[string]zookeeper.ServerState, pods []string, gone string) map[string]zookeeper.ServerState {
	GinkgoHelper()
	reelected := func(s map[string]zookeeper.ServerState) error { return zookeeper.Reelected(before, s, gone) }
	return z.waitStates(ctx, pods, reelected, fmt.Sprintf("a leader elected again among %v", pods), "observation: ensemble state after re-election")
}

// waitStates asks pods for their states until check accepts them, and
// reports the states it accepted under entry.
func (z *zkEnsemble) waitStates(ctx SpecContext, pods []string, check func(map[string]zookeeper.ServerState) error, what, entry string) map[string]zookeeper.ServerState {
	GinkgoHelper()
	var states map[string]zookeeper.ServerState
	Eventually(ctx, func(ctx context.Context) error {
		s, err := zookeeper.States(ctx, z.members(pods))
		if err != nil {
			return err
		}
		states = s
		return check(s)
	}).WithTimeout(cfg.Timeouts.Quorum).WithPolling(cfg.Timeouts.Poll).Should(Succeed(), what)
	AddReportEntry(entry, describeStates(states))
	return states
}

// write creates a znode through a member, retrying while the member cannot
// be reached or has no quorum. A retry that finds the znode already there
// takes it if it holds this write's data: the earlier attempt was accepted
// but its answer was lost.
func (z *zkEnsemble) write(ctx SpecContext, pod, path, data string) zookeeper.Znode {
	GinkgoHelper()
	m := z.member(pod)
	var written zookeeper.Znode
	Eventually(ctx, func(ctx context.Context) error {
		w, err := m.Create(ctx, path, data)
		if errors.Is(err, zookeeper.ErrNodeExists) {
			w, err = m.Read(ctx, path)
			if err == nil && w.Data != data {
				return StopTrying(fmt.Sprintf("%s exists with %q before this spec wrote %q", path, w.Data, data))
			}
		}
		if err != nil {
			return err
		}
		written = w
		return nil
	}).WithTimeout(cfg.Timeouts.Quorum).WithPolling(cfg.Timeouts.Poll).Should(Succeed(), "creating %s through %s", path, pod)
	AddReportEntry("observation: written", written.String())
	return written
}

// readBack reads the znode from pod and judges it against the write with
// zookeeper.SameZnode. Failing to reach the member is retried; a verdict
// (the znode gone, changed or created again) ends the wait at once.
func (z *zkEnsemble) readBack(ctx SpecContext, pod string, written zookeeper.Znode) {
	GinkgoHelper()
	m := z.member(pod)
	Eventually(ctx, func(ctx context.Context) error {
		got, err := m.Read(ctx, written.Path)
		if err == nil || errors.Is(err, zookeeper.ErrNoNode) {
			if verdict := zookeeper.SameZnode(written, got, err); verdict != nil {
				return StopTrying("read back from " + pod).Wrap(verdict)
			}
			return nil
		}
		return zookeeper.SameZnode(written, got, err)
	}).WithTimeout(cfg.Timeouts.Quorum).WithPolling(cfg.Timeouts.Poll).Should(Succeed())
}

// serverIDs asks each member which server id it runs as (conf).
func (z *zkEnsemble) serverIDs(ctx SpecContext, pods []string) map[string]int {
	GinkgoHelper()
	ids := map[string]int{}
	for _, p := range pods {
		Eventually(ctx, func(ctx context.Context) error {
			c, err := z.member(p).Conf(ctx)
			ids[p] = c.ServerID
			return err
		}).WithTimeout(cfg.Timeouts.Quorum).WithPolling(cfg.Timeouts.Poll).Should(Succeed(), "conf of %s", p)
	}
	return ids
}

// nodes maps each live member pod to its node.
func (z *zkEnsemble) nodes(ctx SpecContext) map[string]string {
	GinkgoHelper()
	pods, err := statefulset.Pods(ctx, clients.Kube, z.ens.Set)
	Expect(err).NotTo(HaveOccurred())
	out := map[string]string{}
	for _, p := range pods {
		if p.DeletionTimestamp == nil {
			out[p.Name] = p.Spec.NodeName
		}
	}
	return out
}

// keptMyID checks the start script's own report in the member's log: its
// myid came from the claim, not from a first start on an empty volume.
func (z *zkEnsemble) keptMyID(ctx SpecContext, pod string) {
	GinkgoHelper()
	id, err := zookeeper.MyID(pod)
	Expect(err).NotTo(HaveOccurred())
	b, err := clients.Kube.CoreV1().Pods(z.ns()).GetLogs(pod, &corev1.PodLogOptions{Container: "zookeeper"}).DoRaw(ctx)
	Expect(err).NotTo(HaveOccurred())
	want := fmt.Sprintf("zk-start: myid %d found on the data volume", id)
	Expect(string(b)).To(ContainSubstring(want), "%s started on an empty volume: its claim's data did not come back", pod)
}

// ownClaims is expectOwnClaims for members: each mounts its own claim,
// Bound, and, for a member in kept, the very claim it had then.
func (z *zkEnsemble) ownClaims(ctx SpecContext, pods []string, kept map[string]*corev1.PersistentVolumeClaim) map[string]*corev1.PersistentVolumeClaim {
	GinkgoHelper()
	return expectOwnClaims(ctx, z.ns(), z.ens.Set.Spec.VolumeClaimTemplates[0].Name, pods, kept)
}

func (z *zkEnsemble) pod(ctx SpecContext, pod string) *corev1.Pod {
	GinkgoHelper()
	p, err := clients.Kube.CoreV1().Pods(z.ns()).Get(ctx, pod, metav1.GetOptions{})
	Expect(err).NotTo(HaveOccurred())
	return p
}

func without(pods []string, gone ...string) []string {
	return slices.DeleteFunc(slices.Clone(pods), func(p string) bool { return slices.Contains(gone, p) })
}

func describeStates(states map[string]zookeeper.ServerState) string {
	keys := make([]string, 0, len(states))
	for k := range states {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + states[k].String()
	}
	return strings.Join(parts, "; ")
}
