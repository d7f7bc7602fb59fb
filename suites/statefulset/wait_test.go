//go:build e2e

package statefulset_test

import (
	"context"
	"fmt"
	"slices"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/yaml"

	"github.com/stsconform/stsconform/framework/statefulset"
	"github.com/stsconform/stsconform/framework/timeline"
)

// getSet and getPod are Eventually getters: they return the object, so that
// a failed wait shows the last one seen.
func getSet(ns, name string) func(context.Context) (*appsv1.StatefulSet, error) {
	return func(ctx context.Context) (*appsv1.StatefulSet, error) {
		return clients.Kube.AppsV1().StatefulSets(ns).Get(ctx, name, metav1.GetOptions{})
	}
}

func getPod(ns, name string) func(context.Context) (*corev1.Pod, error) {
	return func(ctx context.Context) (*corev1.Pod, error) {
		return clients.Kube.CoreV1().Pods(ns).Get(ctx, name, metav1.GetOptions{})
	}
}

func getNode(name string) func(context.Context) (*corev1.Node, error) {
	return func(ctx context.Context) (*corev1.Node, error) {
		return clients.Kube.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
	}
}

// waitObserved fails fast, naming the controller, when the StatefulSet
// controller does not observe the set's latest generation.
func waitObserved(ctx SpecContext, ns, name string) *appsv1.StatefulSet {
	GinkgoHelper()
	var last *appsv1.StatefulSet
	causeFirst(func() {
		Eventually(ctx, func(ctx context.Context) (*appsv1.StatefulSet, error) {
			s, err := getSet(ns, name)(ctx)
			last = s
			return s, err
		}).WithTimeout(cfg.Timeouts.ControllerObserve).WithPolling(cfg.Timeouts.Poll).Should(
			Satisfy(func(s *appsv1.StatefulSet) bool { ok, _ := statefulset.ControllerObserved(s); return ok }))
	}, func() string { return statefulset.NeverObserved(last, cfg.Timeouts.ControllerObserve).Error() })
	return last
}

func waitRolledOut(ctx SpecContext, ns, name string) *appsv1.StatefulSet {
	GinkgoHelper()
	last := waitObserved(ctx, ns, name)
	var pods []corev1.Pod
	causeFirst(func() {
		Eventually(ctx, func(ctx context.Context) (*appsv1.StatefulSet, error) {
			s, err := getSet(ns, name)(ctx)
			if err == nil {
				last = s
				pods, err = statefulset.Pods(ctx, clients.Kube, s)
			}
			return s, err
		}).WithTimeout(cfg.Timeouts.SetReady).WithPolling(cfg.Timeouts.Poll).Should(
			Satisfy(func(s *appsv1.StatefulSet) bool { return statefulset.RolledOut(s).Ready }))
	}, func() string {
		return fmt.Sprintf("StatefulSet %s/%s not rolled out: %s\nstatus: %s", ns, name, statefulset.StalledReason(last, pods), toYAML(last.Status))
	})
	return last
}

// waitDisruptionsAllowed waits until the PDB's controller has observed its
// latest generation and allows exactly n disruptions.
func waitDisruptionsAllowed(ctx SpecContext, ns, name string, n int32) {
	GinkgoHelper()
	Eventually(ctx, func(ctx context.Context) (*policyv1.PodDisruptionBudget, error) {
		return clients.Kube.PolicyV1().PodDisruptionBudgets(ns).Get(ctx, name, metav1.GetOptions{})
	}).WithTimeout(cfg.Timeouts.PodReady).WithPolling(cfg.Timeouts.Poll).Should(Satisfy(func(p *policyv1.PodDisruptionBudget) bool {
		return p.Status.ObservedGeneration >= p.Generation && p.Status.DisruptionsAllowed == n
	}), "PodDisruptionBudget %s/%s to allow %d disruptions", ns, name, n)
}

// waitTimeline waits, event-driven, until the recorded timeline satisfies
// cond; a timeout shows the whole timeline.
func waitTimeline(ctx SpecContext, rec *timeline.Recorder, timeout time.Duration, what string, cond func(timeline.Timeline) bool) timeline.Timeline {
	GinkgoHelper()
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	err := rec.WaitFor(wctx, cond)
	Expect(err).NotTo(HaveOccurred(), func() string {
		return fmt.Sprintf("waiting %s for %s; timeline so far:\n%s", timeout, what, rec.Snapshot().Render())
	})
	return rec.Snapshot()
}

// has reports whether the timeline holds an event of the kind for the pod
// after seq.
func has(kind timeline.EventKind, pod string, after int) func(timeline.Timeline) bool {
	return func(tl timeline.Timeline) bool {
		for _, e := range tl.Since(after).Events {
			if e.Kind == kind && e.Pod == pod && !e.Baseline {
				return true
			}
		}
		return false
	}
}

// readyAgain holds once a new incarnation of pod (a UID other than old) has
// become Ready after seq.
func readyAgain(pod string, old types.UID, after int) func(timeline.Timeline) bool {
	return func(tl timeline.Timeline) bool {
		for _, e := range tl.Since(after).Events {
			if e.Kind == timeline.Ready && e.Pod == pod && e.UID != string(old) && !e.Baseline {
				return true
			}
		}
		return false
	}
}

// allOf combines timeline conditions.
func allOf(conds ...func(timeline.Timeline) bool) func(timeline.Timeline) bool {
	return func(tl timeline.Timeline) bool {
		for _, c := range conds {
			if !c(tl) {
				return false
			}
		}
		return true
	}
}

// createdPods lists the pods with a Created event after seq, once per
// creation.
func createdPods(rec *timeline.Recorder, after int) func() []string {
	return podsWith(rec, after, timeline.Created)
}

// terminatedPods lists the pods that began terminating (or were deleted)
// after seq, once per event.
func terminatedPods(rec *timeline.Recorder, after int) func() []string {
	return podsWith(rec, after, timeline.Terminating, timeline.Deleted)
}

// podsWith is an Eventually/Consistently getter: the pod of each recorded
// event of one of the kinds after seq.
func podsWith(rec *timeline.Recorder, after int, kinds ...timeline.EventKind) func() []string {
	return func() []string {
		var out []string
		for _, e := range rec.Snapshot().Since(after).Events {
			if !e.Baseline && slices.Contains(kinds, e.Kind) {
				out = append(out, e.Pod)
			}
		}
		return out
	}
}

func toYAML(v any) string {
	b, err := yaml.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// deleteAndAwaitReplacement deletes the pod and waits until a new
// incarnation of it is Ready on the timeline; it returns the deleted pod.
func deleteAndAwaitReplacement(ctx SpecContext, e *specEnv, rec *timeline.Recorder, name string) *corev1.Pod {
	GinkgoHelper()
	old, err := getPod(e.ns, name)(ctx)
	Expect(err).NotTo(HaveOccurred())
	mark := rec.Snapshot().LastSeq()
	Expect(clients.Kube.CoreV1().Pods(e.ns).Delete(ctx, name, metav1.DeleteOptions{})).To(Succeed())
	rec.Mark("deleted " + name + " (uid " + string(old.UID) + ", ip " + old.Status.PodIP + ")")
	waitTimeline(ctx, rec, cfg.Timeouts.PodReady, "a new "+name+" Ready", readyAgain(name, old.UID, mark))
	return old
}
