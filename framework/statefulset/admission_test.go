package statefulset

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// admitted is want as an API server without webhooks returns it: the
// defaults filled in, the fields CompareSpec ignores touched.
func admitted(want *appsv1.StatefulSet) *appsv1.StatefulSet {
	got := want.DeepCopy()
	s := &got.Spec
	if s.Replicas == nil {
		s.Replicas = ptr.To[int32](1)
	}
	if s.PodManagementPolicy == "" {
		s.PodManagementPolicy = appsv1.OrderedReadyPodManagement
	}
	if s.UpdateStrategy.Type == "" {
		s.UpdateStrategy.Type = appsv1.RollingUpdateStatefulSetStrategyType
	}
	if s.UpdateStrategy.RollingUpdate == nil {
		s.UpdateStrategy.RollingUpdate = &appsv1.RollingUpdateStatefulSetStrategy{}
	}
	if s.UpdateStrategy.RollingUpdate.Partition == nil {
		s.UpdateStrategy.RollingUpdate.Partition = ptr.To[int32](0)
	}
	s.UpdateStrategy.RollingUpdate.MaxUnavailable = ptr.To(intstr.FromInt32(1))
	if s.PersistentVolumeClaimRetentionPolicy == nil {
		s.PersistentVolumeClaimRetentionPolicy = &appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy{
			WhenDeleted: appsv1.RetainPersistentVolumeClaimRetentionPolicyType, WhenScaled: appsv1.RetainPersistentVolumeClaimRetentionPolicyType}
	}
	s.RevisionHistoryLimit = ptr.To[int32](10)
	s.Template.Spec.RestartPolicy = corev1.RestartPolicyAlways
	s.Template.Spec.DNSPolicy = corev1.DNSClusterFirst
	s.Template.Spec.SchedulerName = corev1.DefaultSchedulerName
	for i := range s.Template.Spec.Containers {
		c := &s.Template.Spec.Containers[i]
		c.TerminationMessagePath = corev1.TerminationMessagePathDefault
		if c.ReadinessProbe != nil {
			c.ReadinessProbe.SuccessThreshold = 1
		}
	}
	for i := range s.VolumeClaimTemplates {
		s.VolumeClaimTemplates[i].Spec.VolumeMode = ptr.To(corev1.PersistentVolumeFilesystem)
	}
	got.Generation = 1
	return got
}

func TestCompareSpecAcceptsServerDefaults(t *testing.T) {
	full, _ := New("ns", "web", "web:1", WithVolumeClaim("10Mi", "shared"), WithRequiredAntiAffinity(), WithPartition(2))
	bare, _ := New("ns", "web", "web:1")
	bare.Spec.Replicas = nil
	bare.Spec.PodManagementPolicy = ""
	bare.Spec.UpdateStrategy = appsv1.StatefulSetUpdateStrategy{}
	for name, want := range map[string]*appsv1.StatefulSet{"full": full, "fields left empty": bare} {
		if err := CompareSpec(want, admitted(want)); err != nil {
			t.Errorf("%s: defaults reported as changes: %v", name, err)
		}
	}
	// The same size written another way is the same size.
	got := admitted(full)
	got.Spec.VolumeClaimTemplates[0].Spec.Resources.Requests[corev1.ResourceStorage] = resource.MustParse("10485760")
	if err := CompareSpec(full, got); err != nil {
		t.Errorf("10Mi and 10485760 bytes reported as a change: %v", err)
	}
}

func TestCompareSpecNamesEachChange(t *testing.T) {
	want, _ := New("ns", "web", "web:1", WithVolumeClaim("10Mi", "shared"), WithRequiredAntiAffinity())
	cases := []struct {
		name   string
		mutate func(*appsv1.StatefulSet)
		want   string
	}{
		{"policy", func(s *appsv1.StatefulSet) { s.Spec.PodManagementPolicy = appsv1.ParallelPodManagement },
			"the cluster changed StatefulSet ns/web on admission: spec.podManagementPolicy OrderedReady -> Parallel"},
		{"replicas", func(s *appsv1.StatefulSet) { s.Spec.Replicas = ptr.To[int32](5) }, "spec.replicas 3 -> 5"},
		{"strategy", func(s *appsv1.StatefulSet) {
			s.Spec.UpdateStrategy = appsv1.StatefulSetUpdateStrategy{Type: appsv1.OnDeleteStatefulSetStrategyType}
		}, "spec.updateStrategy.type RollingUpdate -> OnDelete"},
		{"partition set where want had none", func(s *appsv1.StatefulSet) { s.Spec.UpdateStrategy.RollingUpdate.Partition = ptr.To[int32](2) },
			"spec.updateStrategy.rollingUpdate.partition 0 -> 2"},
		{"maxUnavailable", func(s *appsv1.StatefulSet) {
			s.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable = ptr.To(intstr.FromString("50%"))
		},
			"spec.updateStrategy.rollingUpdate.maxUnavailable 1 -> 50%"},
		{"storage class", func(s *appsv1.StatefulSet) { s.Spec.VolumeClaimTemplates[0].Spec.StorageClassName = ptr.To("fast") },
			"spec.volumeClaimTemplates[data].spec.storageClassName shared -> fast"},
		{"size", func(s *appsv1.StatefulSet) {
			s.Spec.VolumeClaimTemplates[0].Spec.Resources.Requests[corev1.ResourceStorage] = resource.MustParse("1Gi")
		}, "spec.volumeClaimTemplates[data].spec.resources.requests.storage 10Mi -> 1Gi"},
		{"claim template renamed", func(s *appsv1.StatefulSet) { s.Spec.VolumeClaimTemplates[0].Name = "vol" },
			"spec.volumeClaimTemplates[data] removed; spec.volumeClaimTemplates[vol] added"},
		{"image", func(s *appsv1.StatefulSet) { s.Spec.Template.Spec.Containers[0].Image = "mirror.local/web:1" },
			"spec.template.spec.containers[web].image web:1 -> mirror.local/web:1"},
		{"command", func(s *appsv1.StatefulSet) { s.Spec.Template.Spec.Containers[0].Command = []string{"httpd"} },
			`spec.template.spec.containers[web].command ["sh" "-c"`},
		{"readiness probe dropped", func(s *appsv1.StatefulSet) { s.Spec.Template.Spec.Containers[0].ReadinessProbe = nil },
			"spec.template.spec.containers[web].readinessProbe set -> unset"},
		{"sidecar injected", func(s *appsv1.StatefulSet) {
			s.Spec.Template.Spec.Containers = append(s.Spec.Template.Spec.Containers, corev1.Container{Name: "istio-proxy", Image: "proxy:1"})
		}, "spec.template.spec.containers[istio-proxy] added (image proxy:1)"},
		{"anti-affinity dropped", func(s *appsv1.StatefulSet) { s.Spec.Template.Spec.Affinity = nil },
			"spec.template.spec.affinity.podAntiAffinity set -> unset"},
		{"anti-affinity softened", func(s *appsv1.StatefulSet) {
			s.Spec.Template.Spec.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution[0].TopologyKey = "topology.kubernetes.io/zone"
		}, "spec.template.spec.affinity.podAntiAffinity changed"},
		{"retention", func(s *appsv1.StatefulSet) {
			s.Spec.PersistentVolumeClaimRetentionPolicy.WhenScaled = appsv1.DeletePersistentVolumeClaimRetentionPolicyType
		}, "spec.persistentVolumeClaimRetentionPolicy.whenScaled Retain -> Delete"},
		{"service", func(s *appsv1.StatefulSet) { s.Spec.ServiceName = "" }, "spec.serviceName web -> "},
		{"minReadySeconds", func(s *appsv1.StatefulSet) { s.Spec.MinReadySeconds = 7 }, "spec.minReadySeconds 0 -> 7"},
	}
	for _, c := range cases {
		got := admitted(want)
		c.mutate(got)
		err := CompareSpec(want, got)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: CompareSpec = %v\nwant it to mention %q", c.name, err, c.want)
		}
	}
	got := admitted(want)
	got.Spec.PodManagementPolicy = appsv1.ParallelPodManagement
	got.Spec.Replicas = ptr.To[int32](1)
	if err := CompareSpec(want, got); err == nil || err.Error() != "the cluster changed StatefulSet ns/web on admission: spec.replicas 3 -> 1; spec.podManagementPolicy OrderedReady -> Parallel" {
		t.Errorf("two changes: %v", err)
	}
}
