package zookeeper

import (
	"context"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

func TestRenderIsTheTutorialsEnsemble(t *testing.T) {
	e, err := Render(ManifestInput{Namespace: "ns1", Image: "zk:3.8", StorageClass: "stsconform-shared"})
	if err != nil {
		t.Fatal(err)
	}
	s := e.Set
	if s.Namespace != "ns1" || s.Name != "zk" || *s.Spec.Replicas != 3 || s.Spec.ServiceName != e.Headless.Name {
		t.Errorf("set %s/%s replicas %d service %q", s.Namespace, s.Name, *s.Spec.Replicas, s.Spec.ServiceName)
	}
	if s.Spec.PodManagementPolicy != appsv1.OrderedReadyPodManagement {
		t.Errorf("pod management %q", s.Spec.PodManagementPolicy)
	}
	if !e.Headless.Spec.PublishNotReadyAddresses || len(e.Headless.Spec.Ports) != 2 || e.Headless.Spec.Ports[0].Port != 2888 || e.Headless.Spec.Ports[1].Port != 3888 {
		t.Errorf("headless service %+v", e.Headless.Spec)
	}
	if e.Client.Spec.ClusterIP != "" || e.Client.Spec.Ports[0].Port != ClientPort {
		t.Errorf("client service %+v", e.Client.Spec)
	}
	if e.Budget.Spec.MinAvailable.IntValue() != 2 || e.Budget.Spec.Selector.MatchLabels["app"] != "zk" {
		t.Errorf("budget %+v", e.Budget.Spec)
	}
	if e.Config.Data["replicas"] != "3" || e.Config.Data["heap"] != "128m" {
		t.Errorf("config %v", e.Config.Data)
	}
	aa := s.Spec.Template.Spec.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution
	if len(aa) != 1 || aa[0].TopologyKey != corev1.LabelHostname || aa[0].LabelSelector.MatchExpressions[0].Values[0] != "zk" {
		t.Errorf("anti-affinity %+v", aa)
	}
	if el := s.Spec.Template.Spec.EnableServiceLinks; el == nil || *el {
		t.Error("service links on: the Service zk-client would set ZK_CLIENT_PORT=tcp://... in the members' environment")
	}
	c := s.Spec.Template.Spec.Containers[0]
	if c.Image != "zk:3.8" {
		t.Errorf("image %q", c.Image)
	}
	for _, p := range []*corev1.Probe{c.ReadinessProbe, c.LivenessProbe} {
		if p == nil || p.Exec == nil || !strings.Contains(strings.Join(p.Exec.Command, " "), "ruok") {
			t.Errorf("probe does not ask the server: %+v", p)
		}
	}
	env := map[string]corev1.EnvVar{}
	for _, v := range c.Env {
		env[v.Name] = v
	}
	if env["ZK_REPLICAS"].ValueFrom.ConfigMapKeyRef.Name != e.Config.Name || env["ZK_SERVICE"].Value != e.Headless.Name ||
		env["ZK_NAMESPACE"].ValueFrom.FieldRef.FieldPath != "metadata.namespace" {
		t.Errorf("env %+v", c.Env)
	}
	vct := s.Spec.VolumeClaimTemplates
	if len(vct) != 1 || *vct[0].Spec.StorageClassName != "stsconform-shared" || c.VolumeMounts[0].MountPath != "/var/lib/zookeeper" {
		t.Errorf("claims %+v mounts %+v", vct, c.VolumeMounts)
	}
	if got := strings.Join(e.MemberNames(), ","); got != "zk-0,zk-1,zk-2" {
		t.Errorf("members %s", got)
	}

	def, err := Render(ManifestInput{Namespace: "ns1", Image: "zk:3.8", Name: "zoo", Replicas: 5})
	if err != nil {
		t.Fatal(err)
	}
	if def.Set.Spec.VolumeClaimTemplates[0].Spec.StorageClassName != nil {
		t.Error("an empty storage class must leave the cluster default")
	}
	if def.Config.Data["replicas"] != "5" || *def.Set.Spec.Replicas != 5 || def.Headless.Name != "zoo-headless" {
		t.Errorf("5 members named zoo: %v %d %s", def.Config.Data, *def.Set.Spec.Replicas, def.Headless.Name)
	}
	if _, err := Render(ManifestInput{Image: "zk:3.8"}); err == nil {
		t.Error("a manifest without namespace rendered")
	}
	if _, err := Render(ManifestInput{Namespace: "ns1"}); err == nil {
		t.Error("a manifest without image rendered")
	}
}

func TestApplyTwiceRecreatesOnlyTheStatefulSet(t *testing.T) {
	e, err := Render(ManifestInput{Namespace: "ns1", Image: "zk:3.8"})
	if err != nil {
		t.Fatal(err)
	}
	c := fake.NewClientset()
	ctx := context.Background()
	if err := e.Apply(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := c.AppsV1().StatefulSets("ns1").Delete(ctx, "zk", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := e.Apply(ctx, c); err != nil {
		t.Fatalf("re-apply: %v", err)
	}
	if _, err := c.AppsV1().StatefulSets("ns1").Get(ctx, "zk", metav1.GetOptions{}); err != nil {
		t.Errorf("set not re-created: %v", err)
	}
	for _, n := range []string{"zk-headless", "zk-client"} {
		if _, err := c.CoreV1().Services("ns1").Get(ctx, n, metav1.GetOptions{}); err != nil {
			t.Errorf("service %s: %v", n, err)
		}
	}
}

// The ensemble's StatefulSet is read back: a cluster that rewrites it on
// admission fails Apply with the change named.
func TestApplyNamesAStatefulSetRewrittenOnAdmission(t *testing.T) {
	e, err := Render(ManifestInput{Namespace: "ns1", Image: "zk:3.8"})
	if err != nil {
		t.Fatal(err)
	}
	c := fake.NewClientset()
	c.PrependReactor("create", "statefulsets", func(a k8stesting.Action) (bool, runtime.Object, error) {
		set := a.(k8stesting.CreateAction).GetObject().(*appsv1.StatefulSet).DeepCopy()
		one := int32(1)
		set.Spec.Replicas = &one
		return true, set, nil
	})
	err = e.Apply(context.Background(), c)
	if err == nil || !strings.Contains(err.Error(), "the cluster changed StatefulSet ns1/zk on admission: spec.replicas 3 -> 1") {
		t.Fatalf("Apply = %v, want the rewritten replicas named", err)
	}
}
