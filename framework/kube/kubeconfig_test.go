package kube

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func kubeconfigFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const kubeconfigHead = `apiVersion: v1
kind: Config
clusters:
- name: kind-a
  cluster: {server: "https://127.0.0.1:6443"}
- name: bare
  cluster: {}
users:
- name: u
  user: {token: t}
contexts:
- name: kind-a
  context: {cluster: kind-a, user: u}
- name: ghost
  context: {cluster: nowhere, user: u}
- name: serverless
  context: {cluster: bare, user: u}
`

// A kubeconfig that names no usable cluster is refused with what it
// lacks, not with client-go's KUBERNETES_MASTER hint.
func TestRESTConfigSaysWhatTheKubeconfigLacks(t *testing.T) {
	cfg, err := RESTConfig(kubeconfigFile(t, kubeconfigHead+"current-context: kind-a\n"))
	if err != nil || cfg.Host != "https://127.0.0.1:6443" {
		t.Fatalf("a good kubeconfig: %v, %+v", err, cfg)
	}
	for name, tc := range map[string]struct{ body, want string }{
		"no current context": {kubeconfigHead, "it sets no current-context (its contexts: ghost, kind-a, serverless): choose one with kubectl config use-context"},
		"unknown context":    {kubeconfigHead + "current-context: kind-b\n", `its current-context "kind-b" is not one of its contexts (ghost, kind-a, serverless)`},
		"unknown cluster":    {kubeconfigHead + "current-context: ghost\n", `its context "ghost" names cluster "nowhere", which it does not define`},
		"no server":          {kubeconfigHead + "current-context: serverless\n", `its cluster "bare" has no server`},
		"not a kubeconfig":   {"apiVersion: v1\nkind: Config\n", "it defines no context (is it a kubeconfig?)"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := RESTConfig(kubeconfigFile(t, tc.body))
			if err == nil || err.Error() != tc.want || strings.Contains(err.Error(), "KUBERNETES_MASTER") {
				t.Errorf("got %v\nwant %s", err, tc.want)
			}
		})
	}
	if _, err := RESTConfig(filepath.Join(t.TempDir(), "absent")); err == nil || err.Error() != "no such file" {
		t.Errorf("missing file: %v", err)
	}
	if _, err := RESTConfig("/tmp/stsconform-a" + string(os.PathListSeparator) + "/tmp/stsconform-b"); err == nil || !strings.Contains(err.Error(), "a list of files") {
		t.Errorf("a KUBECONFIG list: %v", err)
	}
	if _, err := NewClients(kubeconfigFile(t, kubeconfigHead)); err == nil || !strings.HasPrefix(err.Error(), "kubeconfig /") {
		t.Errorf("NewClients names the file: %v", err)
	}
}

func TestReachable(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/version" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(`{"gitVersion": "v1.34.3"}`))
	}))
	defer srv.Close()
	kc := kubeconfigFile(t, strings.ReplaceAll(kubeconfigHead, "https://127.0.0.1:6443", srv.URL)+"current-context: kind-a\n")
	c, err := NewClients(kc)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Reachable(context.Background(), Source(kc)); err != nil {
		t.Fatalf("a cluster that answers: %v", err)
	}
	srv.Close()
	err = c.Reachable(context.Background(), Source(kc))
	if err == nil || !strings.HasPrefix(err.Error(), "the cluster of kubeconfig "+kc+" is unreachable ("+srv.URL+"): ") {
		t.Errorf("a cluster that does not answer: %v", err)
	}
}
