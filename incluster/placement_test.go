package incluster

import (
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/stsconform/stsconform/framework/images"
)

func TestParsePlacement(t *testing.T) {
	p, err := ParsePlacement([]string{"kubernetes.io/hostname=node-1", "pool=conformance"},
		[]string{"dedicated=conformance:NoSchedule", "example.com/gpu", "spot:NoExecute", "*"})
	if err != nil {
		t.Fatal(err)
	}
	if p.NodeSelector["kubernetes.io/hostname"] != "node-1" || p.NodeSelector["pool"] != "conformance" {
		t.Errorf("node selector %v", p.NodeSelector)
	}
	want := []corev1.Toleration{
		{Key: "dedicated", Operator: corev1.TolerationOpEqual, Value: "conformance", Effect: corev1.TaintEffectNoSchedule},
		{Key: "example.com/gpu", Operator: corev1.TolerationOpExists},
		{Key: "spot", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute},
		{Operator: corev1.TolerationOpExists},
	}
	for i, w := range want {
		if i >= len(p.Tolerations) || p.Tolerations[i] != w {
			t.Errorf("toleration %d: %+v; want %+v", i, p.Tolerations, w)
		}
	}
	for _, c := range []struct {
		selectors, tolerations []string
		want                   string
	}{
		{[]string{"no-value"}, nil, `--runner-node-selector "no-value": want KEY=VALUE`},
		{[]string{"bad key=v"}, nil, `--runner-node-selector "bad key=v": key "bad key"`},
		{[]string{"k=bad value"}, nil, `--runner-node-selector "k=bad value": value`},
		{nil, []string{"k:NoRun"}, `--runner-toleration "k:NoRun": effect "NoRun"`},
		{nil, []string{"*=v"}, `takes no value`},
		{nil, []string{"bad key"}, `key "bad key"`},
		{nil, []string{"k=bad value:NoSchedule"}, `value`},
	} {
		_, err := ParsePlacement(c.selectors, c.tolerations)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q %q: error %v; want %q", c.selectors, c.tolerations, err, c.want)
		}
	}
}

func TestPlacementReachesTheRunnerPod(t *testing.T) {
	p, _ := ParsePlacement([]string{"pool=conformance"}, []string{"dedicated=conformance:NoSchedule"})
	o, err := BuildObjects(JobInput{RunID: "r", Namespace: "n", Images: images.Defaults(), Timeout: time.Hour, Placement: p})
	if err != nil {
		t.Fatal(err)
	}
	spec := o.Job.Spec.Template.Spec
	if spec.NodeSelector["pool"] != "conformance" {
		t.Errorf("node selector %v", spec.NodeSelector)
	}
	if len(spec.Tolerations) != 2 || spec.Tolerations[0].Key != controlPlaneLabel || spec.Tolerations[1].Key != "dedicated" {
		t.Errorf("tolerations %+v; want the control plane's, then the one given", spec.Tolerations)
	}
	if spec.Affinity == nil {
		t.Error("the control-plane preference was dropped")
	}
}

// A placed Sonobuoy plugin carries a podSpec that is Sonobuoy's default
// (which it replaces) plus the placement; an unplaced one none.
func TestSonobuoyPluginPlacement(t *testing.T) {
	plain, err := SonobuoyPlugin(PluginInput{Image: "r/runner:1"})
	if err != nil || strings.Contains(string(plain), "podSpec") {
		t.Fatalf("an unplaced plugin has a podSpec (%v):\n%s", err, plain)
	}
	p, _ := ParsePlacement([]string{"pool=conformance"}, []string{"dedicated=conformance:NoSchedule"})
	data, err := SonobuoyPlugin(PluginInput{Image: "r/runner:1", Placement: p})
	if err != nil {
		t.Fatal(err)
	}
	var got plugin
	if err := yaml.UnmarshalStrict(data, &got); err != nil {
		t.Fatal(err)
	}
	ps := got.PodSpec
	if ps == nil || ps.ServiceAccountName != "sonobuoy-serviceaccount" || ps.RestartPolicy != corev1.RestartPolicyNever ||
		ps.NodeSelector["kubernetes.io/os"] != "linux" || ps.NodeSelector["pool"] != "conformance" {
		t.Fatalf("podSpec %+v; want Sonobuoy's defaults and the node selector", ps)
	}
	if n := len(ps.Tolerations); n != 4 || ps.Tolerations[3].Key != "dedicated" {
		t.Errorf("tolerations %+v; want Sonobuoy's three and the one given", ps.Tolerations)
	}
	if !strings.Contains(string(data), "containers: []") {
		t.Errorf("the podSpec must list no container (Sonobuoy adds the plugin's and its worker):\n%s", data)
	}
}
