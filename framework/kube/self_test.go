package kube

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func TestSelfNode(t *testing.T) {
	nsFile := filepath.Join(t.TempDir(), "namespace")
	if err := os.WriteFile(nsFile, []byte("runner-ns\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "runner-ns", Name: "runner-abc"}, Spec: corev1.PodSpec{NodeName: "worker-2"}}
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	host := func(h string) func() (string, error) { return func() (string, error) { return h, nil } }
	cases := []struct {
		name    string
		in      SelfInput
		want    string
		wantErr string
	}{
		{"downward API node", SelfInput{Getenv: env(map[string]string{EnvNodeName: "worker-9"})}, "worker-9", ""},
		{"pod by hostname", SelfInput{Client: fake.NewClientset(pod), Getenv: env(nil), Hostname: host("runner-abc"), NamespaceFile: nsFile}, "worker-2", ""},
		{"pod by POD_NAME", SelfInput{Client: fake.NewClientset(pod), Getenv: env(map[string]string{EnvPodName: "runner-abc"}), Hostname: host("other"), NamespaceFile: nsFile}, "worker-2", ""},
		{"not in a pod", SelfInput{Getenv: env(nil), Hostname: host("x"), NamespaceFile: filepath.Join(t.TempDir(), "none")}, "", "not in a pod"},
		{"hostname is not the pod", SelfInput{Client: fake.NewClientset(pod), Getenv: env(nil), Hostname: host("custom-host"), NamespaceFile: nsFile}, "", "runner-ns/custom-host"},
		{"hostname unreadable", SelfInput{Getenv: env(nil), Hostname: func() (string, error) { return "", errors.New("boom") }, NamespaceFile: nsFile}, "", "boom"},
		{"pod not scheduled", SelfInput{Client: fake.NewClientset(&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "runner-ns", Name: "p"}}), Getenv: env(nil), Hostname: host("p"), NamespaceFile: nsFile}, "", "has no node"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := SelfNode(context.Background(), c.in)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, c.wantErr)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("SelfNode = %q, %v; want %q", got, err, c.want)
			}
		})
	}
}
