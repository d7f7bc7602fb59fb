package statefulset

import (
	"context"
	"strconv"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/utils/ptr"
)

// admissionSet is a stored StatefulSet with a claim template, a volume of
// its own and a readiness gate, so that every compared field is in play.
func admissionSet() *appsv1.StatefulSet {
	set, _ := New("ns", "web", "web:1", WithVolumeClaim("10Mi", ""))
	set.UID = "set-uid"
	spec := &set.Spec.Template.Spec
	spec.Volumes = append(spec.Volumes, corev1.Volume{Name: "conf", VolumeSource: corev1.VolumeSource{
		ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: "web-conf"}, DefaultMode: ptr.To[int32](0o644)}}})
	c := &spec.Containers[0]
	c.VolumeMounts = append(c.VolumeMounts, corev1.VolumeMount{Name: "conf", MountPath: "/etc/web", ReadOnly: true})
	spec.ReadinessGates = []corev1.PodReadinessGate{{ConditionType: "example.com/warm"}}
	return set
}

// controllerPod is the pod of ordinal n as the StatefulSet controller makes
// it (newStatefulSetPod) and an API server without webhooks stores it: the
// revision label, a service account token volume and its mount added.
func controllerPod(set *appsv1.StatefulSet, n int) *corev1.Pod {
	name := PodName(set.Name, n)
	tmpl := set.Spec.Template.DeepCopy()
	labels := map[string]string{
		appsv1.StatefulSetPodNameLabel:  name,
		appsv1.PodIndexLabel:            strconv.Itoa(n),
		appsv1.StatefulSetRevisionLabel: set.Name + "-5869f5d8fb",
	}
	for k, v := range tmpl.Labels {
		labels[k] = v
	}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: set.Namespace, Name: name, Labels: labels,
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(set, appsv1.SchemeGroupVersion.WithKind("StatefulSet"))}},
		Spec: tmpl.Spec,
	}
	pod.Spec.Hostname, pod.Spec.Subdomain = name, set.Spec.ServiceName
	var volumes []corev1.Volume
	for _, t := range set.Spec.VolumeClaimTemplates {
		volumes = append(volumes, corev1.Volume{Name: t.Name, VolumeSource: corev1.VolumeSource{
			PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: ClaimName(t.Name, name)}}})
	}
	volumes = append(volumes, pod.Spec.Volumes...)
	volumes = append(volumes, corev1.Volume{Name: "kube-api-access-x7k2p", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{}}})
	pod.Spec.Volumes = volumes
	for i := range pod.Spec.Containers {
		c := &pod.Spec.Containers[i]
		c.VolumeMounts = append(c.VolumeMounts, corev1.VolumeMount{Name: "kube-api-access-x7k2p", MountPath: "/var/run/secrets/kubernetes.io/serviceaccount", ReadOnly: true})
	}
	pod.Spec.ServiceAccountName, pod.Spec.NodeName = "default", "kind-worker"
	return pod
}

func TestComparePodAcceptsWhatTheControllerAndAPIServerWrite(t *testing.T) {
	set := admissionSet()
	pod := controllerPod(set, 2)
	// What admission may add without touching a guarantee.
	pod.Labels["policy.example.com/audited"] = "true"
	pod.Spec.Containers[0].VolumeMounts = append(pod.Spec.Containers[0].VolumeMounts, corev1.VolumeMount{Name: "data", MountPath: "/backup"})
	if err := ComparePod(set, pod); err != nil {
		t.Errorf("an untouched pod: %v", err)
	}
	// A set read back without its uid compares the owner by name.
	noUID := set.DeepCopy()
	noUID.UID = ""
	if err := ComparePod(noUID, pod); err != nil {
		t.Errorf("a set without uid: %v", err)
	}
}

func TestComparePodNamesEachChange(t *testing.T) {
	const prefix = "the cluster changed pod ns/web-1 on admission: "
	for _, tc := range []struct {
		name   string
		mutate func(*corev1.Pod)
		want   string
	}{
		{"subdomain dropped", func(p *corev1.Pod) { p.Spec.Subdomain = "" }, "spec.subdomain web -> (none)"},
		{"subdomain changed", func(p *corev1.Pod) { p.Spec.Subdomain = "other" }, "spec.subdomain web -> other"},
		{"hostname", func(p *corev1.Pod) { p.Spec.Hostname = "box" }, "spec.hostname web-1 -> box"},
		{"pod-index label dropped", func(p *corev1.Pod) { delete(p.Labels, appsv1.PodIndexLabel) }, "metadata.labels[apps.kubernetes.io/pod-index] 1 -> (none)"},
		{"pod-index label wrong", func(p *corev1.Pod) { p.Labels[appsv1.PodIndexLabel] = "0" }, "metadata.labels[apps.kubernetes.io/pod-index] 1 -> 0"},
		{"pod-name label", func(p *corev1.Pod) { p.Labels[appsv1.StatefulSetPodNameLabel] = "web" }, "metadata.labels[statefulset.kubernetes.io/pod-name] web-1 -> web"},
		{"template label", func(p *corev1.Pod) { p.Labels["app"] = "web-canary" }, "metadata.labels[app] web -> web-canary"},
		{"owner dropped", func(p *corev1.Pod) { p.OwnerReferences = nil }, "metadata.ownerReferences[controller] StatefulSet/web (uid set-uid) -> (none)"},
		{"claim replaced", func(p *corev1.Pod) {
			p.Spec.Volumes[0].VolumeSource = corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}
		}, "spec.volumes[data] persistentVolumeClaim data-web-1 -> emptyDir"},
		{"claim of another ordinal", func(p *corev1.Pod) { p.Spec.Volumes[0].PersistentVolumeClaim.ClaimName = "data-web-0" },
			"spec.volumes[data] persistentVolumeClaim data-web-1 -> persistentVolumeClaim data-web-0"},
		{"claim volume gone", func(p *corev1.Pod) { p.Spec.Volumes = p.Spec.Volumes[1:] }, "spec.volumes[data] persistentVolumeClaim data-web-1 -> (none)"},
		{"template volume gone", func(p *corev1.Pod) { p.Spec.Volumes = append(p.Spec.Volumes[:1], p.Spec.Volumes[2:]...) }, "spec.volumes[conf] configMap -> (none)"},
		{"template volume changed", func(p *corev1.Pod) { p.Spec.Volumes[1].ConfigMap.Name = "evil-conf" }, "spec.volumes[conf] changed (configMap)"},
		{"mount gone", func(p *corev1.Pod) { p.Spec.Containers[0].VolumeMounts = p.Spec.Containers[0].VolumeMounts[1:] },
			"spec.containers[web].volumeMounts[data] /data -> (none)"},
		{"mount moved", func(p *corev1.Pod) { p.Spec.Containers[0].VolumeMounts[0].MountPath = "/tmp" },
			"spec.containers[web].volumeMounts[data] /data -> /tmp"},
		{"mount made writable", func(p *corev1.Pod) { p.Spec.Containers[0].VolumeMounts[1].ReadOnly = false },
			"spec.containers[web].volumeMounts[conf] /etc/web (read-only) -> /etc/web"},
		{"container gone", func(p *corev1.Pod) { p.Spec.Containers[0].Name = "app" }, "spec.containers[web] removed"},
		{"readiness gate added", func(p *corev1.Pod) {
			p.Spec.ReadinessGates = append(p.Spec.ReadinessGates, corev1.PodReadinessGate{ConditionType: "example.com/approved"})
		}, "spec.readinessGates example.com/warm -> example.com/approved, example.com/warm"},
		{"readiness gates dropped", func(p *corev1.Pod) { p.Spec.ReadinessGates = nil }, "spec.readinessGates example.com/warm -> (none)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set := admissionSet()
			pod := controllerPod(set, 1)
			tc.mutate(pod)
			err := ComparePod(set, pod)
			if err == nil || err.Error() != prefix+tc.want {
				t.Errorf("got  %v\nwant %s", err, prefix+tc.want)
			}
		})
	}
}

// Several changes are one line, in a fixed order, the first the cause a
// reader needs: the identity before the storage.
func TestComparePodListsEveryChangeOnOneLine(t *testing.T) {
	set := admissionSet()
	pod := controllerPod(set, 0)
	pod.Spec.Subdomain = ""
	delete(pod.Labels, appsv1.PodIndexLabel)
	pod.Spec.Volumes[0].PersistentVolumeClaim = nil
	pod.Spec.Volumes[0].EmptyDir = &corev1.EmptyDirVolumeSource{}
	err := ComparePod(set, pod)
	want := "the cluster changed pod ns/web-0 on admission: metadata.labels[apps.kubernetes.io/pod-index] 0 -> (none); spec.subdomain web -> (none); spec.volumes[data] persistentVolumeClaim data-web-0 -> emptyDir"
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

func TestComparePodRefusesAPodOfAnotherSet(t *testing.T) {
	set := admissionSet()
	for _, name := range []string{"web", "web-", "web-x", "web-01", "webserver-0", "api-0"} {
		pod := controllerPod(set, 0)
		pod.Name = name
		if err := ComparePod(set, pod); err == nil || !strings.Contains(err.Error(), "is not a pod of StatefulSet ns/web") {
			t.Errorf("pod %s: %v", name, err)
		}
	}
	other := controllerPod(set, 0)
	other.Namespace = "elsewhere"
	if err := ComparePod(set, other); err == nil || !strings.Contains(err.Error(), "is not a pod of StatefulSet") {
		t.Errorf("pod of another namespace: %v", err)
	}
}

func TestComparePodsReadsBackEveryPod(t *testing.T) {
	set := admissionSet()
	good, bad := controllerPod(set, 0), controllerPod(set, 1)
	bad.Spec.Subdomain = ""
	stray := controllerPod(set, 2)
	stray.Name = "web-debug" // matches the selector, is no ordinal of the set
	stray.Spec.Subdomain = ""
	c := fake.NewClientset(good, bad, stray)
	err := ComparePods(context.Background(), c, set)
	if err == nil || err.Error() != "the cluster changed pod ns/web-1 on admission: spec.subdomain web -> (none)" {
		t.Errorf("ComparePods: %v", err)
	}
	if err := ComparePods(context.Background(), fake.NewClientset(good), set); err != nil {
		t.Errorf("ComparePods of an untouched pod: %v", err)
	}
}
