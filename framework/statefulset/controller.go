package statefulset

import (
	"fmt"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/stsconform/stsconform/framework/pod"
)

// controllerHint is what to look at when the StatefulSet controller never
// answers: nothing in the namespace can explain it.
const controllerHint = "is kube-controller-manager running with the statefulset controller?"

// ControllerObserved reports whether the StatefulSet controller has seen
// the set's latest generation; until it has, nothing in the status is about
// this spec. The reason says how far it is.
func ControllerObserved(s *appsv1.StatefulSet) (bool, string) {
	if s == nil {
		return false, "StatefulSet not read"
	}
	reason := fmt.Sprintf("observedGeneration %d of %d", s.Status.ObservedGeneration, s.Generation)
	return s.Generation > 0 && s.Status.ObservedGeneration >= s.Generation, reason
}

// NeverObserved is the failure of a wait on ControllerObserved that ran out
// after waited: a controller problem, named as one, so that a spec does
// not spend its whole budget on waits for pods that will never come.
func NeverObserved(s *appsv1.StatefulSet, waited time.Duration) error {
	if s == nil {
		return fmt.Errorf("the StatefulSet was never read in %s", waited)
	}
	_, reason := ControllerObserved(s)
	return fmt.Errorf("the StatefulSet controller never observed %s/%s (%s after %s): %s", s.Namespace, s.Name, reason, waited, controllerHint)
}

// StalledReason explains why a StatefulSet is not rolled out, telling the
// controller's part from the pods' and their volumes': a spec that was
// never observed, or observed with no pod created, is the controller's
// problem (and its events say why, e.g. FailedCreate), not storage; pods
// waiting on unbound claims are storage; other pods show their state. It
// returns "" when the set is rolled out.
func StalledReason(s *appsv1.StatefulSet, pods []corev1.Pod) string {
	if s == nil {
		return "StatefulSet never read"
	}
	if ok, reason := ControllerObserved(s); !ok {
		return fmt.Sprintf("controller: the StatefulSet controller has not observed %s/%s (%s): %s", s.Namespace, s.Name, reason, controllerHint)
	}
	if RolledOut(s).Ready {
		return ""
	}
	want := int(int32Or(s.Spec.Replicas, 1))
	if len(pods) == 0 && want > 0 {
		return fmt.Sprintf("controller: the StatefulSet controller observed %s/%s (generation %d) but created none of its %d pods: "+
			"its events (FailedCreate) say why, e.g. a quota, an admission webhook or pod security; not a storage or scheduling problem",
			s.Namespace, s.Name, s.Generation, want)
	}
	var lines []string
	exists := map[string]bool{}
	for i := range pods {
		p := &pods[i]
		exists[p.Name] = true
		if !pod.Ready(p) {
			lines = append(lines, podStall(p)+": "+pod.Describe(p))
		}
	}
	for n := range want {
		if name := PodName(s.Name, n); !exists[name] {
			lines = append(lines, fmt.Sprintf("not created: %s (%s)", name, notCreatedBecause(s)))
		}
	}
	if len(lines) == 0 {
		return "not rolled out: " + RolledOut(s).Reason
	}
	return fmt.Sprintf("%d of %d pods exist; %s", len(pods), want, strings.Join(lines, "; "))
}

// podStall classifies why one pod is not ready.
func podStall(p *corev1.Pod) string {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse {
			if strings.Contains(c.Message, "PersistentVolumeClaim") {
				return "storage"
			}
			return "scheduling"
		}
	}
	if p.Status.Phase == corev1.PodRunning {
		return "readiness"
	}
	return "start"
}

func notCreatedBecause(s *appsv1.StatefulSet) string {
	if s.Spec.PodManagementPolicy == appsv1.ParallelPodManagement {
		return "Parallel creates every pod at once: see the StatefulSet's events"
	}
	return "OrderedReady creates it once its predecessors are Running and Ready"
}
