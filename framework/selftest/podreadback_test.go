package selftest

import (
	"strconv"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/stsconform/stsconform/framework/statefulset"
)

// admittedPod is web-n of set as the controller makes it, then changed by
// admission (mutate): what the suite reads back after the first rollout.
func admittedPod(set *appsv1.StatefulSet, n int, mutate func(*corev1.Pod)) *corev1.Pod {
	name := statefulset.PodName(set.Name, n)
	labels := map[string]string{appsv1.StatefulSetPodNameLabel: name, appsv1.PodIndexLabel: strconv.Itoa(n)}
	for k, v := range set.Spec.Template.Labels {
		labels[k] = v
	}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: set.Namespace, Name: name, Labels: labels,
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(set, appsv1.SchemeGroupVersion.WithKind("StatefulSet"))}},
		Spec: *set.Spec.Template.Spec.DeepCopy(),
	}
	pod.Spec.Hostname, pod.Spec.Subdomain = name, set.Spec.ServiceName
	mutate(pod)
	return pod
}

// The pod-rewriting breakages expect the suite's read-back line
// (statefulset.ComparePod) for what their policies write; another change is
// not a detection.
func TestPodRewritingBreakagesExpectTheReadBackLine(t *testing.T) {
	set, _ := statefulset.New("identity-q", "web", "web:1")
	set.UID = "set-uid"
	cases := []struct {
		breakage string
		policy   func(*corev1.Pod) // what the breakage's policy does
		other    func(*corev1.Pod) // a change it does not make
	}{
		{"pod-subdomain-dropped",
			func(p *corev1.Pod) { p.Spec.Subdomain = "" },
			func(p *corev1.Pod) { p.Spec.Hostname = "other" }},
		{"pod-index-shift",
			func(p *corev1.Pod) { p.Labels[appsv1.PodIndexLabel] = "4" },
			func(p *corev1.Pod) { p.Labels[appsv1.StatefulSetPodNameLabel] = "web-4" }},
	}
	for _, c := range cases {
		b := breakage(t, c.breakage)
		for i, mutate := range []func(*corev1.Pod){c.policy, c.other} {
			err := statefulset.ComparePod(set, admittedPod(set, 3, mutate))
			if err == nil {
				t.Fatalf("%s: ComparePod passed a rewritten pod", c.breakage)
			}
			line := firstLine(err.Error())
			for _, r := range b.MustFail {
				if matched, want := r.FirstLine.MatchString(line), i == 0; matched != want {
					t.Errorf("%s: %s matching %q = %v, want %v", c.breakage, r.FirstLine, line, matched, want)
				}
			}
		}
	}
}
