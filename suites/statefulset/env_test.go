//go:build e2e

package statefulset_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/stsconform/stsconform/framework/diagnostics"
	"github.com/stsconform/stsconform/framework/dns"
	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/kube"
	"github.com/stsconform/stsconform/framework/podexec"
	"github.com/stsconform/stsconform/framework/report"
	"github.com/stsconform/stsconform/framework/statefulset"
	"github.com/stsconform/stsconform/framework/timeline"
)

// specEnv is one spec's namespace and what it recorded there.
type specEnv struct {
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
	if slices.Contains(CurrentSpecReport().Labels(), guarantee.Disruptive) {
		By("waiting for the namespaces of earlier specs to be gone")
		Eventually(ctx, func(ctx context.Context) ([]string, error) {
			return kube.RunNamespaces(ctx, clients.Kube, shared.RunID)
		}).WithTimeout(cfg.Timeouts.Cleanup).WithPolling(cfg.Timeouts.Poll).Should(BeEmpty(), "namespaces of earlier specs of run %s", shared.RunID)
	}
	ns, err := kube.CreateNamespace(ctx, clients.Kube, base, shared.RunID)
	Expect(err).NotTo(HaveOccurred())
	e := &specEnv{ns: ns.Name}
	DeferCleanup(func(ctx SpecContext) {
		Expect(kube.DeleteNamespace(ctx, clients.Kube, e.ns)).To(Succeed())
	}, NodeTimeout(cfg.Timeouts.Cleanup))
	DeferCleanup(func(ctx SpecContext) {
		if !CurrentSpecReport().Failed() {
			return
		}
		dir := filepath.Join(cfg.Artifacts, "diagnostics", specSlug())
		// Diagnostics never fail a spec: they explain a failure.
		if err := diagnostics.Dump(ctx, diagnostics.DumpInput{Client: clients.Kube, Namespace: e.ns, Dir: dir, Nodes: true}); err != nil {
			GinkgoWriter.Printf("diagnostics incomplete: %v\n", err)
		}
		AddReportEntry(report.EntryDiagnostics, artifactEntry(dir))
	}, NodeTimeout(cfg.Timeouts.Diagnostics))
	return e
}

// record starts a watch-based timeline of the set's pods; it is written to
// the artifacts when the spec ends, passed or failed.
func (e *specEnv) record(ctx SpecContext, set *appsv1.StatefulSet) *timeline.Recorder {
	GinkgoHelper()
	rec, err := timeline.Start(ctx, clients.Kube, e.ns, set.Name, labels.SelectorFromSet(set.Spec.Selector.MatchLabels))
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(func() { saveTimeline(rec, specSlug()+"--"+set.Name) })
	return rec
}

// recordAcross is record for an Ordered container: the recording outlives
// the BeforeAll that starts it (whose context ends with it) and is written
// as timelines/<base>--<set>.json when the container's cleanups run.
func recordAcross(base string, set *appsv1.StatefulSet) *timeline.Recorder {
	GinkgoHelper()
	ctx, cancel := context.WithCancel(context.Background())
	rec, err := timeline.Start(ctx, clients.Kube, set.Namespace, set.Name, labels.SelectorFromSet(set.Spec.Selector.MatchLabels))
	if err != nil {
		cancel()
	}
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(func() {
		saveTimeline(rec, base+"--"+set.Name)
		cancel()
	})
	return rec
}

// saveTimeline stops the recording and writes it under timelines/.
func saveTimeline(rec *timeline.Recorder, name string) {
	rec.Stop()
	tl := rec.Snapshot()
	p := filepath.Join(cfg.Artifacts, "timelines", name+".json")
	// The entry is added even if the file cannot be written: the
	// report then lists the timeline as missing evidence.
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		GinkgoWriter.Printf("writing timeline %s: %v\n", p, err)
	} else if err := tl.WriteFile(p); err != nil {
		GinkgoWriter.Printf("writing timeline %s: %v\n", p, err)
	}
	AddReportEntry(report.EntryTimeline, artifactEntry(p))
}

// deploy creates the set and its service and waits until it is rolled out.
func (e *specEnv) deploy(ctx SpecContext, set *appsv1.StatefulSet, svc *corev1.Service) *appsv1.StatefulSet {
	GinkgoHelper()
	e.create(ctx, set, svc)
	return waitRolledOut(ctx, e.ns, set.Name)
}

// create creates the set and its service and checks that the cluster
// admitted the spec the guarantees are about.
func (e *specEnv) create(ctx SpecContext, set *appsv1.StatefulSet, svc *corev1.Service) {
	GinkgoHelper()
	avoidRunnerNode(set)
	created, err := statefulset.Create(ctx, clients.Kube, set, svc)
	Expect(err).NotTo(HaveOccurred())
	// A mutation must read as the cluster's change, not as a controller
	// that broke a guarantee.
	failOn(statefulset.CompareSpec(set, created))
}

// avoidRunnerNode keeps an in-cluster run's workloads off its own node.
func avoidRunnerNode(set *appsv1.StatefulSet) {
	if shared.RunnerNode != "" {
		statefulset.WithoutNode(shared.RunnerNode)(set)
	}
}

// expectSpread asserts what required anti-affinity promises, rather than
// assuming it: the set's pods are on distinct nodes.
func (e *specEnv) expectSpread(ctx SpecContext, set *appsv1.StatefulSet) {
	GinkgoHelper()
	pods, err := statefulset.Pods(ctx, clients.Kube, set)
	Expect(err).NotTo(HaveOccurred())
	Expect(statefulset.OnDistinctNodes(pods)).To(Succeed())
}

// expectOwnClaims asserts stable storage of each pod now: its volume of the
// claim template is its own claim <template>-<pod> and that claim is Bound;
// for a pod in kept, also that the claim is the one (by UID) it had then.
// It returns the claims by pod, to be passed as a later call's kept.
func expectOwnClaims(ctx SpecContext, ns, template string, pods []string, kept map[string]*corev1.PersistentVolumeClaim) map[string]*corev1.PersistentVolumeClaim {
	GinkgoHelper()
	claims := map[string]*corev1.PersistentVolumeClaim{}
	for _, name := range pods {
		p, err := getPod(ns, name)(ctx)
		Expect(err).NotTo(HaveOccurred())
		claim, err := statefulset.BoundClaim(ctx, clients.Kube, p, template)
		Expect(err).To(Succeed())
		if was, ok := kept[name]; ok {
			Expect(statefulset.SameClaim(p, was.UID, claim)).To(Succeed())
		}
		claims[name] = claim
	}
	return claims
}

// exec runs a command in a pod's web container and expects it to succeed.
func (e *specEnv) exec(ctx SpecContext, pod string, command ...string) string {
	GinkgoHelper()
	out, err := execIn(ctx, e.ns, pod, command...)
	Expect(err).NotTo(HaveOccurred())
	return out
}

// execIn is exec as an Eventually getter: trimmed stdout and the error.
func execIn(ctx context.Context, ns, pod string, command ...string) (string, error) {
	res, err := podexec.Exec(ctx, clients.Config, clients.Kube, podexec.ExecInput{
		Namespace: ns, Pod: pod, Container: statefulset.Container, Command: command, Timeout: cfg.Timeouts.Exec,
	})
	return strings.TrimSpace(res.Stdout), err
}

// probe starts a busybox pod to resolve names from inside the cluster.
func (e *specEnv) probe(ctx SpecContext) dns.PodRef {
	GinkgoHelper()
	ref, err := dns.CreateProbe(ctx, dns.ProbeInput{
		Client: clients.Kube, Namespace: e.ns, Name: "dns-probe", Image: image(images.Busybox),
	})
	Expect(err).NotTo(HaveOccurred())
	Eventually(ctx, getPod(ref.Namespace, ref.Name)).WithTimeout(cfg.Timeouts.PodReady).WithPolling(cfg.Timeouts.Poll).
		Should(beReadyPod(), "dns probe pod Ready")
	return ref
}

func (e *specEnv) fqdn(pod, service string) string {
	return fmt.Sprintf("%s.%s.%s.svc.cluster.local", pod, service, e.ns)
}

var slugRE = regexp.MustCompile(`[^a-zA-Z0-9]+`)

// specSlug names a spec's artifacts after its text.
func specSlug() string {
	r := CurrentSpecReport()
	s := strings.Trim(slugRE.ReplaceAllString(strings.ToLower(r.FullText()), "-"), "-")
	if len(s) > 120 {
		s = s[:120]
	}
	return s
}

// artifactEntry is how a report entry names a file under the artifacts
// directory: relative to it (timelines/..., diagnostics/...), so that the
// report links to it wherever the directory is moved.
func artifactEntry(p string) string {
	rel, err := filepath.Rel(cfg.Artifacts, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return p
	}
	return filepath.ToSlash(rel)
}
