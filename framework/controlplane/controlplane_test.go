package controlplane

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func TestFlagValue(t *testing.T) {
	args := []string{"kube-controller-manager", "--feature-gates=A=true", "--secure-port", "10300", "-v=2", "--feature-gates=B=false", "--empty="}
	for name, want := range map[string]string{"feature-gates": "B=false", "secure-port": "10300", "v": "2", "empty": ""} {
		if got, ok := FlagValue(args, name); !ok || got != want {
			t.Errorf("FlagValue(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
	if _, ok := FlagValue(args, "kubeconfig"); ok {
		t.Error("an absent flag was found")
	}
}

func TestCommandLineAndImageTag(t *testing.T) {
	p := corev1.Pod{Spec: corev1.PodSpec{Containers: []corev1.Container{
		{Name: "sidecar", Image: "busybox:1.36", Command: []string{"sleep"}},
		{Name: ControllerManager, Image: "registry.k8s.io/kube-controller-manager:v1.37.2@sha256:abc", Command: []string{ControllerManager}, Args: []string{"--v=2"}},
	}}}
	if got := CommandLine(p, ControllerManager); len(got) != 2 || got[1] != "--v=2" {
		t.Errorf("CommandLine = %q", got)
	}
	if got := ImageTag(p, ControllerManager); got != "v1.37.2" {
		t.Errorf("ImageTag = %q", got)
	}
	// A registry with a port and no tag has no release.
	p.Spec.Containers[1].Image = "localhost:5001/kube-controller-manager"
	if got := ImageTag(p, ControllerManager); got != "" {
		t.Errorf("ImageTag of an untagged image = %q", got)
	}
}
