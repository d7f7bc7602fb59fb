package statefulset

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
)

// ComparePod names the fields the guarantees depend on that the cluster
// changed when it admitted pod, which the StatefulSet controller made from
// set: a mutating webhook that rewrites pods, not the StatefulSet, would
// otherwise fail a spec as a hostname without its domain or a DNS name
// that never resolves, and be read as the controller's fault.
//
// What it expects is what the controller writes into every pod it creates
// (pkg/controller/statefulset, newStatefulSetPod): the template's labels
// plus statefulset.kubernetes.io/pod-name and apps.kubernetes.io/pod-index
// (stable since Kubernetes 1.32; beta and on by default from 1.28), set as
// the controller owner, spec.hostname the pod's name and spec.subdomain the
// set's serviceName, a volume per claim template backed by the claim
// <template>-<pod>, the template's other volumes and each container's
// volume mounts, and the template's readiness gates. What admission may add
// without touching a guarantee (labels, volumes and mounts such as the
// service account token's) is no change.
//
// set must hold the template pod was made from: during a rolling update an
// ordinal below the partition is made from the current revision.
func ComparePod(set *appsv1.StatefulSet, pod *corev1.Pod) error {
	if set == nil || pod == nil {
		return errors.New("ComparePod: set and pod are required")
	}
	ordinal, ok := ordinalOf(set.Name, pod.Name)
	if !ok || pod.Namespace != set.Namespace {
		return fmt.Errorf("pod %s/%s is not a pod of StatefulSet %s/%s", pod.Namespace, pod.Name, set.Namespace, set.Name)
	}
	c := &changes{}
	tmpl := set.Spec.Template
	for _, k := range slices.Sorted(maps.Keys(tmpl.Labels)) {
		c.label(pod, k, tmpl.Labels[k])
	}
	c.label(pod, appsv1.StatefulSetPodNameLabel, pod.Name)
	c.label(pod, appsv1.PodIndexLabel, strconv.Itoa(ordinal))
	c.field("metadata.ownerReferences[controller]", owner(set.Name, set.UID), controllerOf(pod, set.UID))
	c.field("spec.hostname", pod.Name, orNoneString(pod.Spec.Hostname))
	c.field("spec.subdomain", orNoneString(set.Spec.ServiceName), orNoneString(pod.Spec.Subdomain))
	c.podVolumes(set, pod)
	c.volumeMounts(tmpl.Spec.Containers, pod.Spec.Containers)
	c.field("spec.readinessGates", gates(tmpl.Spec.ReadinessGates), gates(pod.Spec.ReadinessGates))
	if len(c.list) == 0 {
		return nil
	}
	return fmt.Errorf("the cluster changed pod %s/%s on admission: %s", pod.Namespace, pod.Name, strings.Join(c.list, "; "))
}

// ComparePods reads back every pod of set (its selector's pods named
// <set>-<ordinal>, whoever owns them: a lost owner reference is a change)
// and compares each with the template (ComparePod); the error names every
// changed pod, one a line.
func ComparePods(ctx context.Context, c kubernetes.Interface, set *appsv1.StatefulSet) error {
	pods, err := Pods(ctx, c, set)
	if err != nil {
		return fmt.Errorf("reading back the pods of StatefulSet %s/%s: %w", set.Namespace, set.Name, err)
	}
	var errs []error
	for i := range pods {
		if _, ok := ordinalOf(set.Name, pods[i].Name); ok {
			errs = append(errs, ComparePod(set, &pods[i]))
		}
	}
	return errors.Join(errs...)
}

// none stands for a field or label the pod does not have.
const none = "(none)"

func orNoneString(s string) string {
	if s == "" {
		return none
	}
	return s
}

func (c *changes) label(pod *corev1.Pod, key, want string) {
	got, ok := pod.Labels[key]
	if !ok {
		got = none
	}
	c.field("metadata.labels["+key+"]", want, got)
}

// ordinalOf is the ordinal of a pod named <set>-<ordinal>, as the
// controller parses it.
func ordinalOf(set, pod string) (int, bool) {
	rest, ok := strings.CutPrefix(pod, set+"-")
	if !ok || rest == "" || strings.TrimLeft(rest, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && strconv.Itoa(n) == rest
}

func owner(name string, uid types.UID) string {
	if uid == "" {
		return "StatefulSet/" + name
	}
	return fmt.Sprintf("StatefulSet/%s (uid %s)", name, uid)
}

// controllerOf describes pod's controller as owner describes the set; the
// uid is shown only when the set's is known, to compare like with like.
func controllerOf(pod *corev1.Pod, setUID types.UID) string {
	ref := metav1.GetControllerOf(pod)
	switch {
	case ref == nil:
		return none
	case ref.Kind != "StatefulSet":
		return ref.Kind + "/" + ref.Name
	case setUID == "":
		return owner(ref.Name, "")
	}
	return owner(ref.Name, ref.UID)
}

// podVolumes: a volume per claim template, backed by the pod's own claim,
// and the template's other volumes as they were.
func (c *changes) podVolumes(set *appsv1.StatefulSet, pod *corev1.Pod) {
	got := map[string]corev1.Volume{}
	for _, v := range pod.Spec.Volumes {
		got[v.Name] = v
	}
	claims := map[string]bool{}
	for _, t := range set.Spec.VolumeClaimTemplates {
		claims[t.Name] = true
		want := "persistentVolumeClaim " + ClaimName(t.Name, pod.Name)
		c.field("spec.volumes["+t.Name+"]", want, describeVolume(got[t.Name], t.Name))
	}
	for _, w := range set.Spec.Template.Spec.Volumes {
		if claims[w.Name] {
			continue // the controller replaces it with the claim's
		}
		g, ok := got[w.Name]
		switch {
		case !ok:
			c.field("spec.volumes["+w.Name+"]", describeVolume(w, w.Name), none)
		case !apiequality.Semantic.DeepEqual(w.VolumeSource, g.VolumeSource):
			if wd, gd := describeVolume(w, w.Name), describeVolume(g, g.Name); wd != gd {
				c.field("spec.volumes["+w.Name+"]", wd, gd)
			} else {
				c.list = append(c.list, "spec.volumes["+w.Name+"] changed ("+wd+")")
			}
		}
	}
}

// describeVolume names a volume's source (its field in VolumeSource) and,
// for a claim, the claim; none for a volume that is not there.
func describeVolume(v corev1.Volume, name string) string {
	if v.Name != name {
		return none
	}
	if p := v.PersistentVolumeClaim; p != nil {
		return "persistentVolumeClaim " + p.ClaimName
	}
	src := reflect.ValueOf(v.VolumeSource)
	for i := range src.NumField() {
		if !src.Field(i).IsNil() {
			tag, _, _ := strings.Cut(src.Type().Field(i).Tag.Get("json"), ",")
			return tag
		}
	}
	return "no source"
}

// volumeMounts: every mount of the template's containers, in the pod's
// container of the same name.
func (c *changes) volumeMounts(want, got []corev1.Container) {
	c.pairContainers("spec.containers", want, got, func(path string, w, g corev1.Container) {
		for _, m := range w.VolumeMounts {
			var same []string
			for _, gm := range g.VolumeMounts {
				if gm.Name == m.Name {
					same = append(same, describeMount(gm))
				}
			}
			if d := describeMount(m); !slices.Contains(same, d) {
				c.field(path+".volumeMounts["+m.Name+"]", d, orNoneString(strings.Join(same, ", ")))
			}
		}
	})
}

func describeMount(m corev1.VolumeMount) string {
	d := m.MountPath
	if m.SubPath != "" {
		d += " (subPath " + m.SubPath + ")"
	}
	if m.ReadOnly {
		d += " (read-only)"
	}
	return d
}

func gates(gs []corev1.PodReadinessGate) string {
	var out []string
	for _, g := range gs {
		out = append(out, string(g.ConditionType))
	}
	slices.Sort(out)
	return orNoneString(strings.Join(out, ", "))
}
