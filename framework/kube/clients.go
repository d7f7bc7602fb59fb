// Package kube holds the clients of a run and the namespaces its specs use.
package kube

import (
	"context"
	"fmt"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// Clients bundles what specs talk to the cluster with.
type Clients struct {
	Config *rest.Config
	Kube   kubernetes.Interface
}

// NewClients builds clients from a kubeconfig file.
func NewClients(kubeconfig string) (*Clients, error) {
	cfg, err := RESTConfig(kubeconfig)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", Source(kubeconfig), err)
	}
	// Parallel specs share one client; the default 5 QPS throttles watches
	// and status reads into slow, misleading timings.
	cfg.QPS, cfg.Burst = 50, 100
	c, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	return &Clients{Config: cfg, Kube: c}, nil
}

// Source names where clients of kubeconfig come from, for messages.
func Source(kubeconfig string) string {
	if kubeconfig == "" {
		return "the in-cluster service account"
	}
	return "kubeconfig " + kubeconfig
}

// reachableTimeout bounds the first request to a cluster: a kubeconfig
// pointing nowhere should fail in one line, not hang.
const reachableTimeout = 15 * time.Second

// Reachable asks the API server for its version, so that a command fails
// naming the cluster it cannot reach before it lists or deletes anything.
// source says where the clients came from (Source).
func (c *Clients) Reachable(ctx context.Context, source string) error {
	ctx, cancel := context.WithTimeout(ctx, reachableTimeout)
	defer cancel()
	if _, err := c.Kube.Discovery().RESTClient().Get().AbsPath("/version").DoRaw(ctx); err != nil {
		return fmt.Errorf("the cluster of %s is unreachable (%s): %v", source, c.Config.Host, err)
	}
	return nil
}
