// Package kube holds the clients of a run and the namespaces its specs use.
package kube

import (
	"fmt"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
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
		return nil, fmt.Errorf("kubeconfig %s: %v", kubeconfig, err)
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

// RESTConfig reads a kubeconfig; an empty path means the pod's own service
// account (an in-cluster run), said plainly rather than through
// client-go's fallback and its warning.
func RESTConfig(kubeconfig string) (*rest.Config, error) {
	if kubeconfig == "" {
		return rest.InClusterConfig()
	}
	return clientcmd.BuildConfigFromFlags("", kubeconfig)
}
