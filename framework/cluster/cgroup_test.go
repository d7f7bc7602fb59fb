package cluster

import (
	"context"
	"errors"
	"strings"
	"testing"

	kindv1alpha4 "sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
)

func TestDecideCgroup(t *testing.T) {
	cases := []struct {
		name, host, image string
		allow             bool
		note              string
	}{
		{"cgroup v2 changes nothing", "2", "localhost/stsconform/node:v1.37.2", false, ""},
		{"cgroup v1, hermetic v1.37", "1", "localhost/stsconform/node:v1.37.2", true, "host runs cgroup v1"},
		{"cgroup v1, official v1.35", "1", "kindest/node:v1.35.8@sha256:07b2536e30b803ed61d1677a79df6115f798ce64c80f9e22f6ed45afd09323c0", true, "failCgroupV1: false"},
		{"cgroup v1, kind's default image", "1", "", true, "failCgroupV1: false"},
		{"cgroup v1, a kubelet that predates the field", "1", "kindest/node:v1.30.13", false, "v1.30 run on it as they are"},
		{"cgroup v1, first kubelet with the field", "1", "kindest/node:v1.31.12", true, "failCgroupV1: false"},
		{"cgroup v1, image without a version tag", "1", "registry.example.com/node:latest", true, "failCgroupV1: false"},
		{"unknown host", "", "localhost/stsconform/node:v1.37.2", false, "cgroup version is unknown"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := DecideCgroup(c.host, c.image)
			if d.AllowV1 != c.allow {
				t.Errorf("AllowV1 = %v, want %v (%+v)", d.AllowV1, c.allow, d)
			}
			if c.note == "" && d.Note != "" || !strings.Contains(d.Note, c.note) {
				t.Errorf("Note = %q, want it to say %q", d.Note, c.note)
			}
			cfg := &kindv1alpha4.Cluster{KubeadmConfigPatches: []string{"kind: ClusterConfiguration\n"}}
			d.Apply(cfg)
			want := 1
			if c.allow {
				want = 2
			}
			if len(cfg.KubeadmConfigPatches) != want || cfg.KubeadmConfigPatches[0] != "kind: ClusterConfiguration\n" {
				t.Fatalf("patches after Apply: %q", cfg.KubeadmConfigPatches)
			}
			if c.allow && cfg.KubeadmConfigPatches[1] != failCgroupV1Patch {
				t.Errorf("added %q, want the kubelet patch", cfg.KubeadmConfigPatches[1])
			}
		})
	}
}

func TestCgroupSummary(t *testing.T) {
	for d, want := range map[CgroupDecision]string{
		{HostCgroup: "1", AllowV1: true}: "v1; the suite gave the kubelets failCgroupV1: false",
		{HostCgroup: "2"}:                "v2; nothing changed for it",
		{}:                               "unknown (Docker did not report it)",
	} {
		if got := d.Summary(); got != want {
			t.Errorf("%+v.Summary() = %q, want %q", d, got, want)
		}
	}
}

func TestHostCgroupVersion(t *testing.T) {
	v, err := hostCgroupVersion(context.Background(), func(_ context.Context, args ...string) ([]string, error) {
		if strings.Join(args, " ") != "info --format {{.CgroupVersion}}" {
			t.Errorf("docker %v", args)
		}
		return []string{"1\n"}, nil
	})
	if err != nil || v != "1" {
		t.Errorf("got %q, %v", v, err)
	}
	_, err = hostCgroupVersion(context.Background(), func(context.Context, ...string) ([]string, error) {
		return []string{"Cannot connect to the Docker daemon"}, errors.New("exit status 1")
	})
	if err == nil || !strings.Contains(err.Error(), "Cannot connect") {
		t.Errorf("want Docker's answer in the error, got %v", err)
	}
}
