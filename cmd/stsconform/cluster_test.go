package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testKubeconfig(t *testing.T, server, current string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "kubeconfig")
	writeFile(t, p, []byte(kubeconfigYAML(server, current)))
	return p
}

// kubeconfigYAML has one context, kind-a, of a cluster at server.
func kubeconfigYAML(server, current string) string {
	return fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: kind-a
  cluster: {server: %q}
users:
- name: u
  user: {token: t}
contexts:
- name: kind-a
  context: {cluster: kind-a, user: u}
current-context: %q
`, server, current)
}

// cleanup takes an exported KUBECONFIG as run does, and blames a kubeconfig
// or a cluster for what they are, before it claims to have deleted anything.
func TestCleanupBlamesTheRightThing(t *testing.T) {
	t.Chdir(t.TempDir())
	noDocker(t)
	noContext := testKubeconfig(t, "https://127.0.0.1:6443", "")
	t.Setenv("KUBECONFIG", noContext)
	if _, err := runStsconform("cleanup"); err == nil || err.Error() != "kubeconfig "+noContext+": it sets no current-context (its contexts: kind-a): choose one with kubectl config use-context" {
		t.Errorf("cleanup with KUBECONFIG set: %v", err)
	}
	t.Setenv("KUBECONFIG", "")
	if _, err := runStsconform("cleanup"); err == nil || !strings.Contains(err.Error(), "kubeconfig _artifacts/kubeconfig: no such file (give --kubeconfig, or export KUBECONFIG)") {
		t.Errorf("cleanup without a kubeconfig: %v", err)
	}
	unreachable := testKubeconfig(t, "https://127.0.0.1:1", "kind-a")
	out, err := runStsconform("cleanup", "--kubeconfig", unreachable)
	if err == nil || !strings.HasPrefix(err.Error(), "the cluster of kubeconfig "+unreachable+" is unreachable (https://127.0.0.1:1): ") {
		t.Errorf("cleanup of an unreachable cluster: %v", err)
	}
	if strings.Contains(out, "deleted") {
		t.Errorf("cleanup of an unreachable cluster claims deletions: %q", out)
	}
}

// cluster-up's flags are checked before kind or Docker is asked anything:
// each case below would otherwise go on to create a cluster.
func TestClusterUpChecksItsFlagsFirst(t *testing.T) {
	noDocker(t)
	dir := t.TempDir()
	t.Chdir(dir)
	writeFile(t, filepath.Join(dir, "kind-config.yaml"), []byte("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n"))
	if err := os.Mkdir(filepath.Join(dir, "a-dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--name", ""}, "--name: the kind cluster name is empty"},
		{[]string{"--name", "My_Cluster"}, `--name: "My_Cluster" is not a kind cluster name`},
		{[]string{"--config", "missing.yaml"}, "kind config: open missing.yaml"},
		{[]string{"--image", "Kindest/Node:v1"}, `--image: "Kindest/Node:v1" is not an image reference`},
		{[]string{"--kubeconfig", ""}, "--kubeconfig must name a file"},
		{[]string{"--kubeconfig", "a-dir"}, "--kubeconfig a-dir is a directory"},
		{[]string{"--shared-storage-class", "Shared"}, `--shared-storage-class "Shared" is not a StorageClass name`},
		{[]string{"--timeout-nodes-ready", "0s"}, "--timeout-nodes-ready must be a positive duration (got 0s)"},
		{[]string{"--timeout-cluster-create", "-1m"}, "--timeout-cluster-create must be a positive duration"},
	} {
		_, err := runStsconform(append([]string{"cluster-up"}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("cluster-up %q: %v; want %q", tc.args, err, tc.want)
		}
	}
	if _, err := runStsconform("cluster-down", "--name", ""); err == nil || err.Error() != "--name: the kind cluster name is empty" {
		t.Errorf("cluster-down --name '': %v", err)
	}
}

// noDocker points the docker CLI, which kind runs, at nothing: should a
// check fail to stop a command, it cannot reach this host's clusters.
func noDocker(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix:///nonexistent/stsconform-test-docker.sock")
}
