package statefulset

import (
	"fmt"
	"slices"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// CompareSpec names the fields the guarantees depend on that the cluster
// changed when it admitted want as got: a mutating webhook or a policy
// engine (Kyverno, Gatekeeper mutations, sidecar injection) can turn an
// OrderedReady set into a Parallel one, or drop a readiness probe, and the
// specs would then judge a StatefulSet they did not write.
//
// A field want leaves empty may hold the API server's default in got
// (replicas 1, OrderedReady, RollingUpdate with partition 0 and
// maxUnavailable 1, the Retain retention policy); any other difference is a
// change. It returns nil when nothing the guarantees depend on changed.
func CompareSpec(want, got *appsv1.StatefulSet) error {
	if want == nil || got == nil {
		return fmt.Errorf("CompareSpec: want and got are required")
	}
	c := &changes{}
	w, g := want.Spec, got.Spec
	c.field("spec.replicas", fmt.Sprint(int32Or(w.Replicas, 1)), fmt.Sprint(int32Or(g.Replicas, 1)))
	c.field("spec.podManagementPolicy", string(or(w.PodManagementPolicy, appsv1.OrderedReadyPodManagement)), string(or(g.PodManagementPolicy, appsv1.OrderedReadyPodManagement)))
	wType, gType := or(w.UpdateStrategy.Type, appsv1.RollingUpdateStatefulSetStrategyType), or(g.UpdateStrategy.Type, appsv1.RollingUpdateStatefulSetStrategyType)
	c.field("spec.updateStrategy.type", string(wType), string(gType))
	if wType == appsv1.RollingUpdateStatefulSetStrategyType && gType == wType {
		wp, wu := rollingUpdate(w.UpdateStrategy)
		gp, gu := rollingUpdate(g.UpdateStrategy)
		c.field("spec.updateStrategy.rollingUpdate.partition", fmt.Sprint(wp), fmt.Sprint(gp))
		c.field("spec.updateStrategy.rollingUpdate.maxUnavailable", wu, gu)
	}
	c.field("spec.minReadySeconds", fmt.Sprint(w.MinReadySeconds), fmt.Sprint(g.MinReadySeconds))
	c.field("spec.serviceName", w.ServiceName, g.ServiceName)
	wd, ws := retention(w.PersistentVolumeClaimRetentionPolicy)
	gd, gs := retention(g.PersistentVolumeClaimRetentionPolicy)
	c.field("spec.persistentVolumeClaimRetentionPolicy.whenDeleted", wd, gd)
	c.field("spec.persistentVolumeClaimRetentionPolicy.whenScaled", ws, gs)
	c.claimTemplates(w.VolumeClaimTemplates, g.VolumeClaimTemplates)
	c.containers(w.Template.Spec.Containers, g.Template.Spec.Containers)
	c.antiAffinity(w.Template.Spec.Affinity, g.Template.Spec.Affinity)
	if len(c.list) == 0 {
		return nil
	}
	return fmt.Errorf("the cluster changed StatefulSet %s/%s on admission: %s", got.Namespace, got.Name, strings.Join(c.list, "; "))
}

type changes struct{ list []string }

func (c *changes) field(path, want, got string) {
	if want != got {
		c.list = append(c.list, fmt.Sprintf("%s %s -> %s", path, want, got))
	}
}

func (c *changes) claimTemplates(want, got []corev1.PersistentVolumeClaim) {
	byName := map[string]corev1.PersistentVolumeClaim{}
	for _, p := range got {
		byName[p.Name] = p
	}
	for _, w := range want {
		g, ok := byName[w.Name]
		if !ok {
			c.list = append(c.list, fmt.Sprintf("spec.volumeClaimTemplates[%s] removed", w.Name))
			continue
		}
		path := "spec.volumeClaimTemplates[" + w.Name + "]"
		c.field(path+".spec.storageClassName", stringOr(w.Spec.StorageClassName, "<cluster default>"), stringOr(g.Spec.StorageClassName, "<cluster default>"))
		if wq, gq := storage(w), storage(g); (wq == nil) != (gq == nil) || (wq != nil && wq.Cmp(*gq) != 0) {
			c.field(path+".spec.resources.requests.storage", quantity(wq), quantity(gq))
		}
	}
	for _, g := range got {
		if !slices.ContainsFunc(want, func(w corev1.PersistentVolumeClaim) bool { return w.Name == g.Name }) {
			c.list = append(c.list, fmt.Sprintf("spec.volumeClaimTemplates[%s] added", g.Name))
		}
	}
}

func (c *changes) containers(want, got []corev1.Container) {
	c.pairContainers("spec.template.spec.containers", want, got, func(path string, w, g corev1.Container) {
		c.field(path+".image", w.Image, g.Image)
		c.field(path+".command", fmt.Sprintf("%q", w.Command), fmt.Sprintf("%q", g.Command))
		c.field(path+".args", fmt.Sprintf("%q", w.Args), fmt.Sprintf("%q", g.Args))
		c.field(path+".readinessProbe", present(w.ReadinessProbe != nil), present(g.ReadinessProbe != nil))
	})
	for _, g := range got {
		if !slices.ContainsFunc(want, func(w corev1.Container) bool { return w.Name == g.Name }) {
			// An injected sidecar has a readiness of its own, which
			// becomes part of the pod's.
			c.list = append(c.list, fmt.Sprintf("spec.template.spec.containers[%s] added (image %s)", g.Name, g.Image))
		}
	}
}

// pairContainers calls compare with each container of want and the one of
// got of its name, under path[name]; one got lacks is listed as removed.
func (c *changes) pairContainers(path string, want, got []corev1.Container, compare func(path string, w, g corev1.Container)) {
	byName := map[string]corev1.Container{}
	for _, g := range got {
		byName[g.Name] = g
	}
	for _, w := range want {
		g, ok := byName[w.Name]
		p := path + "[" + w.Name + "]"
		if !ok {
			c.list = append(c.list, p+" removed")
			continue
		}
		compare(p, w, g)
	}
}

func (c *changes) antiAffinity(want, got *corev1.Affinity) {
	var w, g *corev1.PodAntiAffinity
	if want != nil {
		w = want.PodAntiAffinity
	}
	if got != nil {
		g = got.PodAntiAffinity
	}
	switch {
	case w == nil && g == nil:
	case w == nil || g == nil:
		c.field("spec.template.spec.affinity.podAntiAffinity", present(w != nil), present(g != nil))
	case !apiequality.Semantic.DeepEqual(w, g):
		c.list = append(c.list, "spec.template.spec.affinity.podAntiAffinity changed")
	}
}

// rollingUpdate is the partition and maxUnavailable in effect: the API
// server defaults them to 0 and 1.
func rollingUpdate(s appsv1.StatefulSetUpdateStrategy) (int32, string) {
	partition, maxUnavailable := int32(0), intstr.FromInt32(1)
	if ru := s.RollingUpdate; ru != nil {
		partition = int32Or(ru.Partition, 0)
		if ru.MaxUnavailable != nil {
			maxUnavailable = *ru.MaxUnavailable
		}
	}
	return partition, maxUnavailable.String()
}

// retention is the policy in effect: the API server defaults both to Retain.
func retention(p *appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy) (whenDeleted, whenScaled string) {
	retain := appsv1.RetainPersistentVolumeClaimRetentionPolicyType
	if p == nil {
		return string(retain), string(retain)
	}
	return string(or(p.WhenDeleted, retain)), string(or(p.WhenScaled, retain))
}

func storage(p corev1.PersistentVolumeClaim) *resource.Quantity {
	q, ok := p.Spec.Resources.Requests[corev1.ResourceStorage]
	if !ok {
		return nil
	}
	return &q
}

func quantity(q *resource.Quantity) string {
	if q == nil {
		return "<unset>"
	}
	return q.String()
}

func present(ok bool) string {
	if ok {
		return "set"
	}
	return "unset"
}

func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

func int32Or(p *int32, def int32) int32 {
	if p == nil {
		return def
	}
	return *p
}

func stringOr(p *string, def string) string {
	if p == nil {
		return def
	}
	return *p
}
