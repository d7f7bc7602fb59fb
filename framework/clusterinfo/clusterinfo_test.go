package clusterinfo

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/version"
	fakediscovery "k8s.io/client-go/discovery/fake"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/stsconform/stsconform/framework/report"
)

func node(name string, labels map[string]string) *corev1.Node {
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		Status: corev1.NodeStatus{NodeInfo: corev1.NodeSystemInfo{
			KubeletVersion: "v1.34.3", ContainerRuntimeVersion: "containerd://2.1.5",
			OSImage: "Debian GNU/Linux 12 (bookworm)", KernelVersion: "6.12.48",
		}},
	}
}

func storageClass(name, provisioner string, isDefault bool) *storagev1.StorageClass {
	del, wait := corev1.PersistentVolumeReclaimDelete, storagev1.VolumeBindingWaitForFirstConsumer
	sc := &storagev1.StorageClass{ObjectMeta: metav1.ObjectMeta{Name: name}, Provisioner: provisioner, ReclaimPolicy: &del, VolumeBindingMode: &wait}
	if isDefault {
		sc.Annotations = map[string]string{"storageclass.kubernetes.io/is-default-class": "true"}
	}
	return sc
}

func daemonSet(ns, name, image string) *appsv1.DaemonSet {
	ds := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}
	ds.Spec.Template.Spec.Containers = []corev1.Container{{Name: name, Image: image}}
	return ds
}

// controllerManager is the static pod kubeadm (and so kind) runs.
func controllerManager(name string, args ...string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: "kube-system", Name: name,
			Labels: map[string]string{"component": "kube-controller-manager", "tier": "control-plane"}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{
			Name:    "kube-controller-manager",
			Command: append([]string{"kube-controller-manager", "--allocate-node-cidrs=true", "--leader-elect=true"}, args...),
		}}},
	}
}

func clientset(serverVersion string, objs ...runtime.Object) *fake.Clientset {
	c := fake.NewClientset(objs...)
	c.Discovery().(*fakediscovery.FakeDiscovery).FakedServerVersion = &version.Info{GitVersion: serverVersion}
	return c
}

// forbid refuses verb on resource as an RBAC denial would; ns "*" refuses
// in every namespace, "" only cluster-wide requests.
func forbid(c *fake.Clientset, verb, resource, ns string) {
	c.PrependReactor(verb, resource, func(a k8stesting.Action) (bool, runtime.Object, error) {
		if ns != "*" && a.GetNamespace() != ns {
			return false, nil, nil
		}
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: resource}, "",
			errors.New(`User "system:serviceaccount:ci:stsconform" cannot `+verb+` resource "`+resource+`"`))
	})
}

func setting(t *testing.T, settings []report.Setting, name string) report.Setting {
	t.Helper()
	for _, s := range settings {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no setting %q in %+v", name, settings)
	return report.Setting{}
}

// A kind cluster as the suite creates it: every part is read, and the
// grace period is the one kind-config.yaml sets, read from the pod.
func TestReadKindCluster(t *testing.T) {
	c := clientset("v1.34.3",
		node("stsconform-worker", nil),
		node("stsconform-control-plane", map[string]string{"node-role.kubernetes.io/control-plane": ""}),
		storageClass("standard", "rancher.io/local-path", true),
		storageClass("stsconform-shared", "rancher.io/local-path", false),
		daemonSet("kube-system", "kube-proxy", "registry.k8s.io/kube-proxy:v1.34.3"),
		daemonSet("kube-system", "kindnet", "docker.io/kindest/kindnetd:v20250512-df8de77b"),
		controllerManager("kube-controller-manager-stsconform-control-plane", "--node-monitor-grace-period=20s"),
	)
	origin := report.ClusterOrigin{Created: true, Name: "stsconform", CreateDuration: 94 * time.Second,
		NodeImage: report.Setting{Value: "localhost/stsconform/node:v1.34.3"}}
	env, err := Read(context.Background(), Input{Client: c, Origin: origin})
	if err != nil {
		t.Fatal(err)
	}
	if env.ServerVersion != "v1.34.3" || env.Cluster != origin {
		t.Errorf("server version %q, origin %+v", env.ServerVersion, env.Cluster)
	}
	if len(env.Nodes) != 2 || env.Nodes[0].Name != "stsconform-control-plane" || strings.Join(env.Nodes[0].Roles, ",") != "control-plane" ||
		len(env.Nodes[1].Roles) != 0 || env.Nodes[1].ContainerRuntimeVersion != "containerd://2.1.5" || env.Nodes[1].OSImage == "" || env.Nodes[1].KubeletVersion != "v1.34.3" {
		t.Errorf("nodes: %+v", env.Nodes)
	}
	if len(env.StorageClasses) != 2 || !env.StorageClasses[0].Default || env.StorageClasses[1].Default ||
		env.StorageClasses[0].Provisioner != "rancher.io/local-path" || env.StorageClasses[0].VolumeBindingMode != "WaitForFirstConsumer" {
		t.Errorf("storage classes: %+v", env.StorageClasses)
	}
	if env.CNI.Value != "kindnet" || !strings.Contains(env.CNI.Source, "DaemonSet kube-system/kindnet, image docker.io/kindest/kindnetd") {
		t.Errorf("cni: %+v", env.CNI)
	}
	g := setting(t, env.ControllerSettings, "node-monitor-grace-period")
	if g.Value != "20s" || g.Source != "command line of kube-controller-manager pod kube-system/kube-controller-manager-stsconform-control-plane" {
		t.Errorf("grace period: %+v", g)
	}
	if len(env.ControllerSettings) != 1 {
		t.Errorf("feature-gates is reported only when set: %+v", env.ControllerSettings)
	}
}

// A managed control plane shows no controller manager and may run its pod
// network outside DaemonSets: both unknown with the reason, no default
// assumed, and no error.
func TestReadManagedControlPlane(t *testing.T) {
	c := clientset("v1.33.5-gke.1",
		node("gke-pool-1-abc", map[string]string{"kubernetes.io/role": "agent"}),
		daemonSet("kube-system", "kube-proxy", "kube-proxy"),
		daemonSet("kube-system", "pdcsi-node", "csi"),
	)
	env, err := Read(context.Background(), Input{Client: c})
	if err != nil {
		t.Fatal(err)
	}
	if env.Cluster.Created {
		t.Error("origin invented")
	}
	if strings.Join(env.Nodes[0].Roles, ",") != "agent" {
		t.Errorf("legacy role label: %+v", env.Nodes[0])
	}
	g := setting(t, env.ControllerSettings, "node-monitor-grace-period")
	if g.Value != "" || !strings.Contains(g.Unknown, "no kube-controller-manager pod visible in kube-system") || !strings.Contains(g.Unknown, "managed control plane") {
		t.Errorf("grace period: %+v", g)
	}
	if env.CNI.Value != "" || !strings.Contains(env.CNI.Unknown, "no DaemonSet in any namespace named like a known CNI (kindnet, podnet, calico") {
		t.Errorf("cni: %+v", env.CNI)
	}
	if !strings.HasPrefix(g.String(), "unknown (") || !strings.HasPrefix(env.CNI.String(), "unknown (") {
		t.Errorf("unknown settings must render as unknown: %q %q", g, env.CNI)
	}
}

// A user without cluster-wide reads: every refusal is an unknown with
// "forbidden", never a failure; what has no place for a reason is in the
// error; what could be read is still there.
func TestReadWithoutPermissions(t *testing.T) {
	c := clientset("v1.34.3",
		node("n1", nil),
		daemonSet("kube-flannel", "kube-flannel-ds", "flannel"),
		controllerManager("kube-controller-manager-cp", "--node-monitor-grace-period=20s"),
	)
	forbid(c, "list", "pods", "*")
	forbid(c, "list", "daemonsets", "*")
	forbid(c, "list", "nodes", "*")
	forbid(c, "list", "storageclasses", "*")
	env, err := Read(context.Background(), Input{Client: c})
	if err == nil || !strings.Contains(err.Error(), "nodes unknown: forbidden to list nodes") || !strings.Contains(err.Error(), "storage classes unknown: forbidden") {
		t.Errorf("error must name what is unknown and why: %v", err)
	}
	if env.ServerVersion != "v1.34.3" {
		t.Errorf("what could be read is lost: %+v", env)
	}
	g := setting(t, env.ControllerSettings, "node-monitor-grace-period")
	if !strings.HasPrefix(g.Unknown, "forbidden to list pods in kube-system") || g.Value != "" {
		t.Errorf("grace period: %+v", g)
	}
	if !strings.HasPrefix(env.CNI.Unknown, "forbidden to list DaemonSets in kube-system") {
		t.Errorf("cni: %+v", env.CNI)
	}
}

// Cluster-wide DaemonSets refused, kube-system allowed: the CNI is found
// there.
func TestReadCNIFallsBackToKubeSystem(t *testing.T) {
	c := clientset("v1.34.3",
		daemonSet("kube-system", "podnet", "localhost/stsconform/podnet:v1"),
		daemonSet("kube-system", "cilium", "quay.io/cilium/cilium:v1.18.0"),
		daemonSet("kube-system", "cilium-envoy", "quay.io/cilium/cilium-envoy:v1.18.0"),
	)
	forbid(c, "list", "daemonsets", "")
	env, err := Read(context.Background(), Input{Client: c})
	if err != nil {
		t.Fatal(err)
	}
	if env.CNI.Value != "cilium, podnet" || strings.Count(env.CNI.Source, "DaemonSet kube-system/") != 3 {
		t.Errorf("cni: %+v", env.CNI)
	}
}

func TestReadControllerFlags(t *testing.T) {
	for _, tc := range []struct {
		name        string
		pods        []runtime.Object
		value, want string
		gates       string
	}{
		{name: "flag not set: the default is not assumed",
			pods: []runtime.Object{controllerManager("kcm-cp")},
			want: "not set on the command line of kube-controller-manager pod kube-system/kcm-cp: the built-in default"},
		{name: "separate value, set twice: the last wins, gates reported",
			pods:  []runtime.Object{controllerManager("kcm-cp", "--node-monitor-grace-period", "40s", "--feature-gates=MaxUnavailableStatefulSet=true", "--node-monitor-grace-period=30s")},
			value: "30s", gates: "MaxUnavailableStatefulSet=true"},
		{name: "HA control plane agreeing",
			pods:  []runtime.Object{controllerManager("kcm-a", "--node-monitor-grace-period=20s"), controllerManager("kcm-b", "--node-monitor-grace-period=20s")},
			value: "20s"},
		{name: "HA control plane disagreeing: both stated",
			pods:  []runtime.Object{controllerManager("kcm-b"), controllerManager("kcm-a", "--node-monitor-grace-period=20s")},
			value: "20s on kcm-a, not set on kcm-b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env, err := Read(context.Background(), Input{Client: clientset("v1.34.3", tc.pods...)})
			if err != nil {
				t.Fatal(err)
			}
			g := setting(t, env.ControllerSettings, "node-monitor-grace-period")
			if g.Value != tc.value || (tc.want != "" && !strings.HasPrefix(g.Unknown, tc.want)) || (g.Value == "") == (g.Unknown == "") {
				t.Errorf("grace period: %+v", g)
			}
			if tc.gates != "" && setting(t, env.ControllerSettings, "feature-gates").Value != tc.gates {
				t.Errorf("feature gates: %+v", env.ControllerSettings)
			}
		})
	}
}

func TestReadServerUnreachable(t *testing.T) {
	c := clientset("")
	c.PrependReactor("get", "version", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, errors.New("dial tcp 127.0.0.1:6443: connect: connection refused")
	})
	env, err := Read(context.Background(), Input{Client: c})
	if err == nil || !strings.Contains(err.Error(), "server version unknown: cannot read the server version: dial tcp") || env.ServerVersion != "" {
		t.Errorf("env %+v, err %v", env, err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Read(ctx, Input{Client: clientset("v1.34.3")}); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled read must say so: %v", err)
	}
	if _, err := Read(context.Background(), Input{}); err == nil {
		t.Error("no client accepted")
	}
}
