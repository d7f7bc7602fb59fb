package kube

import (
	"context"
	"fmt"
	"os"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// ServiceAccountNamespaceFile is where Kubernetes tells every pod its
// namespace.
const ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace"

// Env names through which a pod may be told its own name and node (the
// downward API): stsconform's own Job sets them, other runners (hydrophone,
// Sonobuoy) do not.
const (
	EnvNodeName = "NODE_NAME"
	EnvPodName  = "POD_NAME"
)

// SelfInput says where a pod learns who it is; the zero value reads the
// process environment and the service account's namespace file.
type SelfInput struct {
	Client        kubernetes.Interface
	Getenv        func(string) string
	Hostname      func() (string, error)
	NamespaceFile string
}

// SelfNode is the node the calling pod runs on: NODE_NAME when the pod was
// given it, else its pod read back by namespace and name (POD_NAME, else
// the hostname, which is the pod's name unless the pod sets spec.hostname).
func SelfNode(ctx context.Context, in SelfInput) (string, error) {
	if in.Getenv == nil {
		in.Getenv = os.Getenv
	}
	if in.Hostname == nil {
		in.Hostname = os.Hostname
	}
	if in.NamespaceFile == "" {
		in.NamespaceFile = ServiceAccountNamespaceFile
	}
	if n := in.Getenv(EnvNodeName); n != "" {
		return n, nil
	}
	data, err := os.ReadFile(in.NamespaceFile)
	if err != nil {
		return "", fmt.Errorf("finding the runner's own pod: not in a pod? %w", err)
	}
	ns := strings.TrimSpace(string(data))
	name := in.Getenv(EnvPodName)
	if name == "" {
		if name, err = in.Hostname(); err != nil {
			return "", fmt.Errorf("finding the runner's own pod: hostname: %w", err)
		}
	}
	pod, err := in.Client.CoreV1().Pods(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return "", fmt.Errorf("finding the runner's own pod %s/%s (set %s with the downward API if the pod sets spec.hostname): %w", ns, name, EnvPodName, err)
	}
	if pod.Spec.NodeName == "" {
		return "", fmt.Errorf("the runner's own pod %s/%s has no node", ns, name)
	}
	return pod.Spec.NodeName, nil
}
