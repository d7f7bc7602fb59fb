package statefulset

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"
)

func TestNewDefaults(t *testing.T) {
	set, svc := New("ns", "web", "web:1")
	if *set.Spec.Replicas != 3 || set.Spec.PodManagementPolicy != appsv1.OrderedReadyPodManagement || set.Spec.ServiceName != "web" {
		t.Fatalf("defaults: %+v", set.Spec)
	}
	if svc.Spec.ClusterIP != corev1.ClusterIPNone {
		t.Fatal("the governing service must be headless for per-pod DNS records")
	}
	c := set.Spec.Template.Spec.Containers[0]
	if c.Image != "web:1" || c.ImagePullPolicy != corev1.PullIfNotPresent {
		t.Fatalf("container: %+v", c)
	}
	if g := c.ReadinessProbe.HTTPGet; g == nil || g.Path != ReadyPath || g.Port.IntValue() != Port {
		t.Fatalf("readiness probe must fetch %s from the web server: %+v", ReadyFile, c.ReadinessProbe)
	}
	if !strings.Contains(strings.Join(c.Command, " "), "touch "+ReadyFile) {
		t.Fatalf("the web container must create %s unless held: %q", ReadyFile, c.Command)
	}
}

func TestOptions(t *testing.T) {
	set, _ := New("ns", "web", "web:1", WithReplicas(5), WithParallel(), WithHeld("web-1", "web-2"),
		WithVolumeClaim("10Mi", "shared"), WithRequiredAntiAffinity(), WithPartition(2),
		WithRetention(appsv1.DeletePersistentVolumeClaimRetentionPolicyType, appsv1.RetainPersistentVolumeClaimRetentionPolicyType))
	if *set.Spec.Replicas != 5 || set.Spec.PodManagementPolicy != appsv1.ParallelPodManagement {
		t.Fatal("replicas or policy not applied")
	}
	c := set.Spec.Template.Spec.Containers[0]
	if len(c.Env) != 1 || c.Env[0].Value != "web-1 web-2" {
		t.Fatalf("HOLD env = %+v", c.Env)
	}
	if len(set.Spec.VolumeClaimTemplates) != 1 || *set.Spec.VolumeClaimTemplates[0].Spec.StorageClassName != "shared" || c.VolumeMounts[0].MountPath != DataDir {
		t.Fatal("volume claim template not applied")
	}
	terms := set.Spec.Template.Spec.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution
	if len(terms) != 1 || terms[0].TopologyKey != corev1.LabelHostname || terms[0].LabelSelector.MatchLabels["app"] != "web" {
		t.Fatalf("anti-affinity: %+v", terms)
	}
	if *set.Spec.UpdateStrategy.RollingUpdate.Partition != 2 {
		t.Fatal("partition not applied")
	}
	if set.Spec.PersistentVolumeClaimRetentionPolicy.WhenDeleted != appsv1.DeletePersistentVolumeClaimRetentionPolicyType {
		t.Fatal("retention not applied")
	}
	if def, _ := New("ns", "web", "web:1", WithVolumeClaim("1Mi", "")); def.Spec.VolumeClaimTemplates[0].Spec.StorageClassName != nil {
		t.Fatal("an empty class must leave the cluster default")
	}
}

func TestRolledOut(t *testing.T) {
	mk := func(gen, observed int64, replicas, ready, updated int32, cur, upd string) *appsv1.StatefulSet {
		s, _ := New("ns", "web", "web:1", WithReplicas(replicas))
		s.Generation = gen
		s.Status = appsv1.StatefulSetStatus{ObservedGeneration: observed, Replicas: replicas, ReadyReplicas: ready, UpdatedReplicas: updated, CurrentRevision: cur, UpdateRevision: upd}
		return s
	}
	if r := mk(2, 2, 3, 3, 3, "a", "a"); !RolledOut(r).Ready {
		t.Fatalf("a finished set is not rolled out: %s", RolledOut(r).Reason)
	}
	notYet := map[string]*appsv1.StatefulSet{
		"stale status":       mk(3, 2, 3, 3, 3, "a", "a"),
		"not all ready":      mk(1, 1, 3, 2, 3, "a", "a"),
		"update in progress": mk(2, 2, 3, 3, 1, "a", "b"),
	}
	for name, s := range notYet {
		if r := RolledOut(s); r.Ready || r.Reason == "" {
			t.Errorf("%s: reported rolled out (%q)", name, r.Reason)
		}
	}
	partitioned := mk(2, 2, 3, 3, 1, "a", "b")
	partitioned.Spec.UpdateStrategy.RollingUpdate = &appsv1.RollingUpdateStatefulSetStrategy{Partition: ptr.To[int32](2)}
	if !RolledOut(partitioned).Ready {
		t.Fatal("with a partition, pods below it stay on the old revision by design")
	}
}
