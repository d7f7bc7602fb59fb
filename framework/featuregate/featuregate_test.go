package featuregate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/stsconform/stsconform/framework/report"
)

// metrics is a component's exposition with the given gates (name -> "1" or
// "0"), among the lines every component writes.
func metrics(gates map[string]string) []byte {
	var b strings.Builder
	b.WriteString("# HELP kubernetes_feature_enabled [BETA] This metric records the data about the stage and enablement of a k8s feature.\n")
	b.WriteString("# TYPE kubernetes_feature_enabled gauge\n")
	for name, v := range gates {
		stage := "BETA"
		if name == MutatingAdmissionPolicy {
			stage = ""
		}
		fmt.Fprintf(&b, "kubernetes_feature_enabled{name=%q,stage=%q} %s\n", name, stage, v)
	}
	b.WriteString("apiserver_request_total{code=\"200\"} 12\n")
	return []byte(b.String())
}

func TestParseMetrics(t *testing.T) {
	m, err := ParseMetrics(metrics(map[string]string{MaxUnavailableStatefulSet: "1", StatefulSetRecreateStrategy: "0", MutatingAdmissionPolicy: "1"}))
	if err != nil {
		t.Fatal(err)
	}
	if got := m[MaxUnavailableStatefulSet]; !got.Enabled || got.Stage != "BETA" {
		t.Errorf("MaxUnavailableStatefulSet = %+v", got)
	}
	if got := m[StatefulSetRecreateStrategy]; got.Enabled {
		t.Errorf("StatefulSetRecreateStrategy = %+v, want disabled", got)
	}
	if got := m[MutatingAdmissionPolicy]; !got.Enabled || got.Stage != "" {
		t.Errorf("MutatingAdmissionPolicy = %+v, want enabled GA", got)
	}
	for name, text := range map[string]string{
		"no samples":   "apiserver_request_total 1\n",
		"no name":      `kubernetes_feature_enabled{stage="BETA"} 1` + "\n",
		"no value":     `kubernetes_feature_enabled{name="X",stage="BETA"}` + "\n",
		"not a number": `kubernetes_feature_enabled{name="X",stage="BETA"} yes` + "\n",
	} {
		if _, err := ParseMetrics([]byte(text)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestParseFlag(t *testing.T) {
	got, err := ParseFlag("MaxUnavailableStatefulSet=true, StatefulSetRecreateStrategy=false")
	if err != nil || len(got) != 2 || !got[MaxUnavailableStatefulSet] || got[StatefulSetRecreateStrategy] {
		t.Errorf("got %v, %v", got, err)
	}
	if got, err := ParseFlag(""); err != nil || len(got) != 0 {
		t.Errorf("empty flag: %v, %v", got, err)
	}
	for _, bad := range []string{"MaxUnavailableStatefulSet", "A=maybe"} {
		if _, err := ParseFlag(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// cluster answers for the API server: metrics by path, pods by component.
type cluster struct {
	paths map[string][]byte
	errs  map[string]error
	pods  map[string][]corev1.Pod
}

func (c cluster) source() source {
	return source{
		get: func(_ context.Context, path string) ([]byte, error) {
			if err := c.errs[path]; err != nil {
				return nil, err
			}
			if b, ok := c.paths[path]; ok {
				return b, nil
			}
			return nil, apierrors.NewNotFound(schema.GroupResource{}, path)
		},
		pods: func(_ context.Context, component string) ([]corev1.Pod, error) {
			if err := c.errs[component]; err != nil {
				return nil, err
			}
			return c.pods[component], nil
		},
	}
}

func pod(component, image string, args ...string) corev1.Pod {
	return corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: "kube-system", Name: component + "-stsconform-control-plane"},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: component, Image: image, Command: append([]string{component}, args...)}}},
	}
}

const kcmMetrics = "/api/v1/namespaces/kube-system/pods/https:kube-controller-manager-stsconform-control-plane:10257/proxy/metrics"

var forbidden = apierrors.NewForbidden(schema.GroupResource{Resource: "pods/proxy"}, "kube-controller-manager-stsconform-control-plane", errors.New("system:anonymous cannot get path /metrics"))

func gate(t *testing.T, gs []report.FeatureGate, name string) report.FeatureGate {
	t.Helper()
	for _, g := range gs {
		if g.Name == name {
			return g
		}
	}
	t.Fatalf("no gate %s in %+v", name, gs)
	return report.FeatureGate{}
}

func TestReadFromBothComponentsMetrics(t *testing.T) {
	c := cluster{
		paths: map[string][]byte{
			"/metrics": metrics(map[string]string{MaxUnavailableStatefulSet: "1", StatefulSetRecreateStrategy: "0"}),
			kcmMetrics: metrics(map[string]string{MaxUnavailableStatefulSet: "1", StatefulSetRecreateStrategy: "1"}),
		},
		pods: map[string][]corev1.Pod{
			"kube-apiserver":          {pod("kube-apiserver", "registry.k8s.io/kube-apiserver:v1.37.2")},
			"kube-controller-manager": {pod("kube-controller-manager", "registry.k8s.io/kube-controller-manager:v1.37.2", "--feature-gates=StatefulSetRecreateStrategy=true")},
		},
	}
	gs := read(context.Background(), c.source())
	if len(gs) != len(StatefulSet) {
		t.Fatalf("%d gates, want %d", len(gs), len(StatefulSet))
	}
	g := gate(t, gs, StatefulSetRecreateStrategy)
	if g.APIServer.Value != "disabled" || g.ControllerManager.Value != "enabled" || !strings.Contains(g.ControllerManager.Source, "kube-controller-manager metric") || g.Stage != "BETA" {
		t.Errorf("StatefulSetRecreateStrategy: %+v", g)
	}
	// A gate neither registers (removed after GA): unknown, saying so.
	g = gate(t, gs, PodIndexLabel)
	if g.APIServer.Value != "" || !strings.Contains(g.APIServer.Unknown, "not registered by kube-apiserver") {
		t.Errorf("PodIndexLabel: %+v", g)
	}
}

func TestReadControllerManagerFromItsFlagsOrTheSharedDefault(t *testing.T) {
	api := pod("kube-apiserver", "registry.k8s.io/kube-apiserver:v1.37.2", "--feature-gates=StatefulSetRecreateStrategy=true")
	kcm := pod("kube-controller-manager", "registry.k8s.io/kube-controller-manager:v1.37.2", "--feature-gates=MaxUnavailableStatefulSet=false", "--secure-port", "10257")
	c := cluster{
		paths: map[string][]byte{"/metrics": metrics(map[string]string{MaxUnavailableStatefulSet: "1", StatefulSetRecreateStrategy: "1", MutatingAdmissionPolicy: "1"})},
		errs:  map[string]error{kcmMetrics: forbidden},
		pods:  map[string][]corev1.Pod{"kube-apiserver": {api}, "kube-controller-manager": {kcm}},
	}
	gs := read(context.Background(), c.source())
	// Set on the controller manager's command line: its flag.
	g := gate(t, gs, MaxUnavailableStatefulSet)
	if g.APIServer.Value != "enabled" || g.ControllerManager.Value != "disabled" || !strings.Contains(g.ControllerManager.Source, "--feature-gates of pod kube-system/kube-controller-manager") {
		t.Errorf("MaxUnavailableStatefulSet: %+v", g)
	}
	// Set by neither, same release: the API server's value is the default.
	g = gate(t, gs, MutatingAdmissionPolicy)
	if g.ControllerManager.Value != "enabled" || !strings.Contains(g.ControllerManager.Source, "the v1.37.2 default") || !strings.Contains(g.ControllerManager.Source, "forbidden") {
		t.Errorf("MutatingAdmissionPolicy: %+v", g)
	}
	// Registered by neither (removed after GA), same release: said so.
	g = gate(t, gs, PodIndexLabel)
	if g.ControllerManager.Value != "" || g.ControllerManager.Unknown != "not registered in v1.37.2 (kube-apiserver of the same release has no sample for it)" {
		t.Errorf("PodIndexLabel: %+v", g)
	}
	// Set on the API server only: the controller manager's is not known.
	g = gate(t, gs, StatefulSetRecreateStrategy)
	if g.ControllerManager.Value != "" || !strings.Contains(g.ControllerManager.Unknown, "forbidden") || !strings.Contains(g.ControllerManager.Unknown, "does not set it") {
		t.Errorf("StatefulSetRecreateStrategy: %+v", g)
	}

	// Another release on the controller manager: nothing is inherited.
	c.pods["kube-controller-manager"] = []corev1.Pod{pod("kube-controller-manager", "registry.k8s.io/kube-controller-manager:v1.36.3")}
	g = gate(t, read(context.Background(), c.source()), MutatingAdmissionPolicy)
	if g.ControllerManager.Value != "" {
		t.Errorf("inherited across releases: %+v", g)
	}
}

func TestReadManagedControlPlane(t *testing.T) {
	c := cluster{errs: map[string]error{"/metrics": apierrors.NewForbidden(schema.GroupResource{}, "", errors.New(`User "runner" cannot get path "/metrics"`))}}
	for _, g := range read(context.Background(), c.source()) {
		if g.APIServer.Value != "" || !strings.Contains(g.APIServer.Unknown, "forbidden to GET /metrics") {
			t.Errorf("%s kube-apiserver: %+v", g.Name, g.APIServer)
		}
		if g.ControllerManager.Value != "" || !strings.Contains(g.ControllerManager.Unknown, "no kube-controller-manager pod visible") {
			t.Errorf("%s kube-controller-manager: %+v", g.Name, g.ControllerManager)
		}
	}
}
