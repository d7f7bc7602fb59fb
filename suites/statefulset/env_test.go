//go:build e2e

package statefulset_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/stsconform/stsconform/framework/config"
	"github.com/stsconform/stsconform/framework/diagnostics"
	"github.com/stsconform/stsconform/framework/dns"
	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/kube"
	"github.com/stsconform/stsconform/framework/nodefailure"
	"github.com/stsconform/stsconform/framework/pod"
	"github.com/stsconform/stsconform/framework/podexec"
	"github.com/stsconform/stsconform/framework/report"
	"github.com/stsconform/stsconform/framework/statefulset"
	"github.com/stsconform/stsconform/framework/timeline"
)

// runEnv is what every spec of the run shares: the clients, the facts of
// the cluster the first process prepared, the timeouts, images and storage
// classes. Specs reach it through their specEnv (or thisRun, before they
// have a namespace); only the setup writes the package variables it is
// made from.
type runEnv struct {
	c      *kube.Clients
	t      config.Timeouts
	images images.Set
	// cluster is what the first process prepared.
	cluster sharedState
	// storageClass is for node-local volumes ("" the cluster default),
	// sharedStorageClass for volumes that survive a node.
	storageClass, sharedStorageClass string
	artifacts                        string
}

func thisRun() *runEnv {
	return &runEnv{c: clients, t: cfg.Timeouts, images: testImages, cluster: shared,
		storageClass: cfg.StorageClass, sharedStorageClass: cfg.SharedStorageClass, artifacts: cfg.Artifacts}
}

// specEnv is one spec's namespace, with the run's environment.
type specEnv struct {
	*runEnv
	ns string
}

// newSpecEnv creates the spec's namespace. Cleanups run last-in first-out:
// the namespace is deleted last, after diagnostics and timelines are saved.
//
// Its deletion is not awaited: finalizing a namespace with pods takes 10 to
// 20 s, a third of a spec's time, and the next spec has a namespace of its
// own. A Disruptive spec first waits until the run's earlier namespaces are
// gone, since a drain waits for every terminating pod on its node and a
// stopped node holds back the pods on it.
func newSpecEnv(ctx SpecContext, base string) *specEnv {
	GinkgoHelper()
	r := thisRun()
	if slices.Contains(CurrentSpecReport().Labels(), guarantee.Disruptive) {
		By("waiting for the namespaces of earlier specs to be gone")
		Eventually(ctx, func(ctx context.Context) ([]string, error) {
			return kube.RunNamespaces(ctx, r.c.Kube, r.cluster.RunID)
		}).WithTimeout(r.t.Cleanup).WithPolling(r.t.Poll).Should(BeEmpty(), "namespaces of earlier specs of run %s", r.cluster.RunID)
	}
	ns, err := kube.CreateNamespace(ctx, r.c.Kube, base, r.cluster.RunID)
	Expect(err).NotTo(HaveOccurred())
	e := &specEnv{runEnv: r, ns: ns.Name}
	DeferCleanup(func(ctx SpecContext) {
		Expect(kube.DeleteNamespace(ctx, e.c.Kube, e.ns)).To(Succeed())
	}, NodeTimeout(r.t.Cleanup))
	DeferCleanup(func(ctx SpecContext) {
		if !CurrentSpecReport().Failed() {
			return
		}
		dir := filepath.Join(e.artifacts, "diagnostics", report.Slug(CurrentSpecReport().FullText()))
		// Diagnostics never fail a spec: they explain a failure.
		if err := diagnostics.Dump(ctx, diagnostics.DumpInput{Client: e.c.Kube, Namespace: e.ns, Dir: dir, Nodes: true}); err != nil {
			GinkgoWriter.Printf("diagnostics incomplete: %v\n", err)
		}
		AddReportEntry(report.EntryDiagnostics, report.ArtifactPath(e.artifacts, dir))
	}, NodeTimeout(r.t.Diagnostics))
	return e
}

// image is the reference of an image role on this run's cluster.
func (r *runEnv) image(role images.Role) string { return r.images.Ref(role) }

// record starts a watch-based timeline of the set's pods; it is written to
// the artifacts, with the checks the spec made, when the spec ends, passed
// or failed.
func (e *specEnv) record(ctx SpecContext, set *appsv1.StatefulSet) *timeline.Recorder {
	GinkgoHelper()
	rec, err := timeline.Start(ctx, e.c.Kube, e.ns, set.Name, labels.SelectorFromSet(set.Spec.Selector.MatchLabels))
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(func() { e.saveTimeline(rec, report.Slug(CurrentSpecReport().FullText())+"--"+set.Name) })
	return rec
}

// recordAcross is record for an Ordered container: the recording outlives
// the BeforeAll that starts it (whose context ends with it) and is written
// as timelines/<base>--<set>.json when the container's cleanups run.
func (e *specEnv) recordAcross(base string, set *appsv1.StatefulSet) *timeline.Recorder {
	GinkgoHelper()
	ctx, cancel := context.WithCancel(context.Background())
	rec, err := timeline.Start(ctx, e.c.Kube, set.Namespace, set.Name, labels.SelectorFromSet(set.Spec.Selector.MatchLabels))
	if err != nil {
		cancel()
	}
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(func() {
		e.saveTimeline(rec, base+"--"+set.Name)
		cancel()
	})
	return rec
}

// saveTimeline stops the recording and writes it under timelines/.
func (e *specEnv) saveTimeline(rec *timeline.Recorder, name string) {
	rec.Stop()
	p := filepath.Join(e.artifacts, "timelines", name+".json")
	// The entry is added even if the file cannot be written: the
	// report then lists the timeline as missing evidence.
	if err := rec.Snapshot().WriteFile(p); err != nil {
		GinkgoWriter.Printf("writing timeline %s: %v\n", p, err)
	}
	AddReportEntry(report.EntryTimeline, report.ArtifactPath(e.artifacts, p))
}

// deploy creates the set and its service, waits until it is rolled out and
// reads its pods back.
func (e *specEnv) deploy(ctx SpecContext, set *appsv1.StatefulSet, svc *corev1.Service) *appsv1.StatefulSet {
	GinkgoHelper()
	e.create(ctx, set, svc)
	return e.waitFirstRollout(ctx, set.Name)
}

// waitFirstRollout waits until a new set is rolled out and reads its pods
// back. A pod the cluster rewrote on admission (a webhook on pods, not on
// the set) is named first, even when it is why the rollout never ended:
// otherwise it fails later as a hostname without its domain or a name that
// never resolves, read as the controller's fault. Only a first rollout has
// one template for every pod (statefulset.ComparePod).
func (e *specEnv) waitFirstRollout(ctx SpecContext, name string) *appsv1.StatefulSet {
	GinkgoHelper()
	rolled, err := statefulset.WaitRolledOut(ctx, e.waitInput(name))
	if live, getErr := e.c.Kube.AppsV1().StatefulSets(e.ns).Get(ctx, name, metav1.GetOptions{}); getErr == nil {
		failOn(statefulset.ComparePods(ctx, e.c.Kube, live))
	}
	failOn(err)
	return rolled
}

// create creates the set and its service and checks that the cluster
// admitted the spec the guarantees are about.
func (e *specEnv) create(ctx SpecContext, set *appsv1.StatefulSet, svc *corev1.Service) {
	GinkgoHelper()
	e.avoidRunnerNode(set)
	created, err := statefulset.Create(ctx, e.c.Kube, set, svc)
	Expect(err).NotTo(HaveOccurred())
	// A mutation must read as the cluster's change, not as a controller
	// that broke a guarantee.
	failOn(statefulset.CompareSpec(set, created))
}

// avoidRunnerNode keeps an in-cluster run's workloads off its own node.
func (r *runEnv) avoidRunnerNode(set *appsv1.StatefulSet) {
	if r.cluster.RunnerNode != "" {
		statefulset.WithoutNode(r.cluster.RunnerNode)(set)
	}
}

func (e *specEnv) waitInput(name string) statefulset.WaitInput {
	return statefulset.WaitInput{Client: e.c.Kube, Namespace: e.ns, Name: name,
		ObserveTimeout: e.t.ControllerObserve, ReadyTimeout: e.t.SetReady, Poll: e.t.Poll}
}

// waitObserved fails fast, naming the controller, when the StatefulSet
// controller does not observe the set's latest generation.
func (e *specEnv) waitObserved(ctx SpecContext, name string) *appsv1.StatefulSet {
	GinkgoHelper()
	s, err := statefulset.WaitObserved(ctx, e.waitInput(name))
	failOn(err)
	return s
}

// setImage notes on the recording what is changed ("image A -> B", after
// what, e.g. "partition 2: ") and changes the set's image to the test
// image to: the note is the anchor the update's window opens at.
func (e *specEnv) setImage(ctx SpecContext, rec *timeline.Recorder, name, what string, from, to images.Role) int {
	GinkgoHelper()
	mark := rec.Mark(what + "image " + e.image(from) + " -> " + e.image(to))
	_, err := statefulset.SetImage(ctx, e.c.Kube, e.ns, name, e.image(to))
	failOn(err)
	return mark
}

// waitRolledOut waits until the set is observed and rolled out.
func (e *specEnv) waitRolledOut(ctx SpecContext, name string) *appsv1.StatefulSet {
	GinkgoHelper()
	s, err := statefulset.WaitRolledOut(ctx, e.waitInput(name))
	failOn(err)
	return s
}

// waitTimeline waits, event-driven, until the recorded timeline satisfies
// cond; a timeout shows the whole timeline.
func waitTimeline(ctx SpecContext, rec *timeline.Recorder, timeout time.Duration, what string, cond timeline.Condition) timeline.Timeline {
	GinkgoHelper()
	tl, err := rec.Await(ctx, timeout, what, cond)
	failOn(err)
	return tl
}

// getPod reads a pod of the spec's namespace.
func (e *specEnv) getPod(ctx SpecContext, name string) *corev1.Pod {
	GinkgoHelper()
	p, err := e.c.Kube.CoreV1().Pods(e.ns).Get(ctx, name, metav1.GetOptions{})
	Expect(err).NotTo(HaveOccurred())
	return p
}

// waitPodReady waits until a pod of the spec's namespace is Running and
// Ready; what opens a failure.
func (e *specEnv) waitPodReady(ctx SpecContext, name, what string) {
	GinkgoHelper()
	_, err := pod.WaitReady(ctx, pod.WaitInput{Client: e.c.Kube, Namespace: e.ns, Name: name, What: what, Timeout: e.t.PodReady, Poll: e.t.Poll})
	failOn(err)
}

// replacePod deletes the pod and waits until a new incarnation of it is
// Ready on the timeline; it returns the deleted pod.
func (e *specEnv) replacePod(ctx SpecContext, rec *timeline.Recorder, name string) *corev1.Pod {
	GinkgoHelper()
	old, err := statefulset.ReplacePod(ctx, statefulset.ReplaceInput{Client: e.c.Kube, Recorder: rec, Namespace: e.ns, Pod: name, Timeout: e.t.PodReady})
	failOn(err)
	return old
}

// expectSpread asserts what required anti-affinity promises, rather than
// assuming it: the set's pods are on distinct nodes.
func (e *specEnv) expectSpread(ctx SpecContext, set *appsv1.StatefulSet) {
	GinkgoHelper()
	pods, err := statefulset.Pods(ctx, e.c.Kube, set)
	Expect(err).NotTo(HaveOccurred())
	Expect(statefulset.OnDistinctNodes(pods)).To(Succeed())
}

// ownClaims asserts stable storage of each pod now (statefulset.OwnClaims):
// its own claim <template>-<pod>, Bound, and for a pod in kept the very
// claim it had then. It returns the claims by pod, to pass as a later
// call's kept.
func (e *specEnv) ownClaims(ctx SpecContext, template string, pods []string, kept map[string]*corev1.PersistentVolumeClaim) map[string]*corev1.PersistentVolumeClaim {
	GinkgoHelper()
	claims, err := statefulset.OwnClaims(ctx, statefulset.ClaimsInput{Client: e.c.Kube, Namespace: e.ns, Template: template, Pods: pods, Kept: kept})
	Expect(err).To(Succeed())
	return claims
}

// revisions maps each pod of the set to its revision.
func (e *specEnv) revisions(ctx SpecContext, set *appsv1.StatefulSet) map[string]string {
	GinkgoHelper()
	revs, err := statefulset.PodRevisions(ctx, e.c.Kube, set)
	Expect(err).NotTo(HaveOccurred())
	return revs
}

// requireNodes skips the spec, with the reason, on a cluster with fewer
// schedulable nodes than it needs (the in-cluster runner's node takes no
// workload). It returns the schedulable ones.
func requireNodes(ctx SpecContext, n int, why string) []corev1.Node {
	GinkgoHelper()
	r := thisRun()
	list, err := r.c.Kube.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	Expect(err).NotTo(HaveOccurred())
	exclude := map[string]string{}
	if r.cluster.RunnerNode != "" {
		exclude[r.cluster.RunnerNode] = "the in-cluster runner's node"
	}
	ok, left := nodefailure.Schedulable(list.Items, exclude)
	if skip := nodefailure.TooFew(n, why, ok, left); skip != "" {
		Skip(skip)
	}
	return ok
}

// requireNodeFailure skips, with the reason, where a node cannot be
// stopped or a pod's claim would not outlive its node.
func requireNodeFailure() {
	GinkgoHelper()
	r := thisRun()
	if skip := nodefailure.Unsupported(r.cluster.Kind, r.cluster.SharedStorage, r.sharedStorageClass); skip != "" {
		Skip(skip)
	}
}

// requireKindNode skips, with the reason, when node is not a kind node
// container this host can stop.
func requireKindNode(ctx SpecContext, node string) {
	GinkgoHelper()
	isKind, err := nodefailure.IsKindNode(ctx, node)
	Expect(err).NotTo(HaveOccurred())
	if !isKind {
		Skip(nodefailure.NotKindNode(node))
	}
}

// hold makes a running pod unready (statefulset.Hold) and notes it on the
// recording.
func (e *specEnv) hold(ctx SpecContext, rec *timeline.Recorder, pod string) {
	GinkgoHelper()
	e.exec(ctx, pod, statefulset.Hold()...)
	rec.Mark(heldNote(pod))
}

// heldNote is the recording's note for a pod held unready by hold.
func heldNote(pod string) string {
	return pod + " held unready (" + statefulset.ReadyFile + " removed)"
}

// release makes a held pod ready again (statefulset.Release) and returns
// the note it leaves on the recording, where the release's window opens.
func (e *specEnv) release(ctx SpecContext, rec *timeline.Recorder, pod string) int {
	GinkgoHelper()
	e.exec(ctx, pod, statefulset.Release()...)
	return rec.Mark(pod + " released")
}

// exec runs a command in a pod's web container and expects it to succeed;
// it returns the trimmed stdout.
func (e *specEnv) exec(ctx SpecContext, pod string, command ...string) string {
	GinkgoHelper()
	res, err := podexec.Exec(ctx, e.c.Config, e.c.Kube, podexec.ExecInput{
		Namespace: e.ns, Pod: pod, Container: statefulset.Container, Command: command, Timeout: e.t.Exec,
	})
	Expect(err).NotTo(HaveOccurred())
	return strings.TrimSpace(res.Stdout)
}

// execer runs the DNS lookups and fetches in pods, each bounded by the
// exec timeout.
func (r *runEnv) execer() dns.Execer { return dns.PodExecer(r.c.Config, r.c.Kube, r.t.Exec) }

// dnsWait bounds a wait on DNS answers.
func (r *runEnv) dnsWait() dns.WaitInput { return dns.WaitInput{Timeout: r.t.DNS, Poll: r.t.Poll} }

// probe starts a busybox pod to resolve names from inside the cluster.
func (e *specEnv) probe(ctx SpecContext) dns.PodRef {
	GinkgoHelper()
	ref, err := dns.CreateProbe(ctx, dns.ProbeInput{
		Client: e.c.Kube, Namespace: e.ns, Name: "dns-probe", Image: e.image(images.Busybox),
	})
	Expect(err).NotTo(HaveOccurred())
	e.waitPodReady(ctx, ref.Name, "dns probe pod Ready")
	return ref
}

func (e *specEnv) fqdn(pod, service string) string {
	return fmt.Sprintf("%s.%s.%s.svc.cluster.local", pod, service, e.ns)
}

// expectResolves waits until a pod's pod.service name (through the search
// list) and its FQDN resolve to ip from inside the cluster.
func (e *specEnv) expectResolves(ctx SpecContext, probe dns.PodRef, pod, service, ip string) {
	GinkgoHelper()
	failOn(dns.WaitResolves(ctx, dns.ResolvesInput{Exec: e.execer(), Probe: probe, Short: pod + "." + service, FQDN: e.fqdn(pod, service), IP: ip, WaitInput: e.dnsWait()}))
}

// getSet reads a StatefulSet of the spec's namespace.
func (e *specEnv) getSet(ctx SpecContext, name string) *appsv1.StatefulSet {
	GinkgoHelper()
	s, err := e.c.Kube.AppsV1().StatefulSets(e.ns).Get(ctx, name, metav1.GetOptions{})
	Expect(err).NotTo(HaveOccurred())
	return s
}
