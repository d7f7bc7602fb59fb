package cluster

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "kind.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestValidateKindConfigAcceptsTheRepositoryConfig(t *testing.T) {
	c, err := ValidateKindConfig(filepath.Join("..", "..", "kind-config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	workers := 0
	for _, n := range c.Nodes {
		if n.Role == "worker" {
			workers++
		}
		if len(n.ExtraMounts) != 1 || n.ExtraMounts[0].ContainerPath != "/var/shared-pv" {
			t.Errorf("node %s lacks the shared volume mount: %+v", n.Role, n.ExtraMounts)
		}
	}
	// 3 replicas with required anti-affinity need a free node after one is
	// drained or lost.
	if workers < 4 {
		t.Fatalf("kind-config.yaml has %d workers, the disruption specs need 4", workers)
	}
}

func TestValidateKindConfigRejectsBadInputInOneLine(t *testing.T) {
	cases := map[string]string{
		"unknown field": "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n  extraMountz: []\n",
		"wrong kind":    "kind: Pod\napiVersion: v1\n",
		"no nodes":      "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n",
		"not yaml":      "kind: [\n",
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ValidateKindConfig(writeConfig(t, body))
			if err == nil {
				t.Fatal("accepted an invalid kind config")
			}
			if !strings.HasPrefix(err.Error(), "invalid kind config") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("want one line starting with 'invalid kind config', got %q", err)
			}
		})
	}
	if _, err := ValidateKindConfig(filepath.Join(t.TempDir(), "missing.yaml")); err == nil {
		t.Fatal("a missing file must be an error")
	}
}

func TestLocalPathImages(t *testing.T) {
	kind := []corev1.Container{{
		Image:   "docker.io/kindest/local-path-provisioner:v20250214-acbabc1a",
		Command: []string{"local-path-provisioner", "--debug", "start", "--helper-image", "docker.io/kindest/local-path-helper:v20241212-8ac705d0", "--config", "/etc/config/config.json"},
	}}
	prov, helper, err := LocalPathImages(kind)
	if err != nil || prov != kind[0].Image || helper != "docker.io/kindest/local-path-helper:v20241212-8ac705d0" {
		t.Fatalf("got %q %q %v", prov, helper, err)
	}
	env := []corev1.Container{{Image: "p", Env: []corev1.EnvVar{{Name: "HELPER_IMAGE", Value: "h"}}}}
	if _, helper, err := LocalPathImages(env); err != nil || helper != "h" {
		t.Fatalf("helper from env: %q %v", helper, err)
	}
	if _, _, err := LocalPathImages([]corev1.Container{{Image: "p"}}); err == nil {
		t.Fatal("want an error when no helper image is named")
	}
}
