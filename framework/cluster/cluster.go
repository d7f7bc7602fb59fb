// Package cluster provides the cluster a run tests: a kind cluster it
// creates from kind-config.yaml (and deletes afterwards), or an existing
// cluster given by kubeconfig, which it never deletes.
package cluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	kindv1alpha4 "sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
	kindcluster "sigs.k8s.io/kind/pkg/cluster"
	"sigs.k8s.io/kind/pkg/cmd"
	"sigs.k8s.io/yaml"
)

// Cluster is the cluster under test.
type Cluster struct {
	Name       string
	Kubeconfig string
	// Kind is set when the cluster is a kind cluster this host's container
	// runtime can reach (nodes can be stopped, images loaded).
	Kind bool
	// Owned is set when this run created the cluster: only then is it
	// deleted.
	Owned bool
	// CreateDuration is how long creation took (zero when not created).
	CreateDuration time.Duration

	provider *kindcluster.Provider
	// nodeImage is the node image Create was asked for ("" for kind's
	// default).
	nodeImage string
}

// CreateInput configures Create.
type CreateInput struct {
	Name       string
	ConfigPath string
	NodeImage  string // empty: kind's default
	// KubeconfigPath is where the cluster's kubeconfig is written.
	KubeconfigPath string
	WaitForReady   time.Duration
	// Verbose prints kind's progress to stderr.
	Verbose bool
}

func newProvider(verbose bool) *kindcluster.Provider {
	logger := cmd.NewLogger()
	if !verbose {
		return kindcluster.NewProvider(kindcluster.ProviderWithDocker())
	}
	return kindcluster.NewProvider(kindcluster.ProviderWithDocker(), kindcluster.ProviderWithLogger(logger))
}

// ValidateKindConfig reads a kind config strictly, so that a typo is one
// clear line before any container starts.
func ValidateKindConfig(path string) (*kindv1alpha4.Cluster, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("kind config: %w", err)
	}
	var c kindv1alpha4.Cluster
	if err := yaml.UnmarshalStrict(raw, &c); err != nil {
		return nil, fmt.Errorf("invalid kind config %s: %v", path, err)
	}
	if c.Kind != "Cluster" || c.APIVersion != "kind.x-k8s.io/v1alpha4" {
		return nil, fmt.Errorf("invalid kind config %s: want kind: Cluster, apiVersion: kind.x-k8s.io/v1alpha4 (got %q, %q)", path, c.Kind, c.APIVersion)
	}
	if len(c.Nodes) == 0 {
		return nil, fmt.Errorf("invalid kind config %s: no nodes", path)
	}
	return &c, nil
}

// Create makes a kind cluster. A stale cluster of the same name (left by an
// interrupted run) is deleted first: the name belongs to this suite.
func Create(ctx context.Context, in CreateInput) (*Cluster, error) {
	if in.Name == "" || in.ConfigPath == "" || in.KubeconfigPath == "" {
		return nil, errors.New("cluster.Create: Name, ConfigPath and KubeconfigPath are required")
	}
	if _, err := ValidateKindConfig(in.ConfigPath); err != nil {
		return nil, err
	}
	if err := dockerAnswers(ctx); err != nil {
		return nil, err
	}
	p := newProvider(in.Verbose)
	existing, err := p.List()
	if err != nil {
		return nil, fmt.Errorf("list kind clusters: %w", err)
	}
	for _, name := range existing {
		if name == in.Name {
			if err := p.Delete(name, ""); err != nil {
				return nil, fmt.Errorf("delete stale kind cluster %q: %w", name, err)
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(in.KubeconfigPath), 0o755); err != nil {
		return nil, err
	}
	opts := []kindcluster.CreateOption{
		kindcluster.CreateWithConfigFile(in.ConfigPath),
		kindcluster.CreateWithKubeconfigPath(in.KubeconfigPath),
		kindcluster.CreateWithWaitForReady(in.WaitForReady),
		kindcluster.CreateWithDisplayUsage(false),
		kindcluster.CreateWithDisplaySalutation(false),
	}
	if in.NodeImage != "" {
		opts = append(opts, kindcluster.CreateWithNodeImage(in.NodeImage))
	}
	start := time.Now()
	// kind's Create takes no context; run it aside so that an interrupt is
	// noticed, and clean up whatever it made once it returns.
	done := make(chan error, 1)
	go func() { done <- p.Create(in.Name, opts...) }()
	select {
	case err := <-done:
		if err != nil {
			_ = p.Delete(in.Name, in.KubeconfigPath)
			return nil, fmt.Errorf("create kind cluster %q (image %q): %w", in.Name, imageOrDefault(in.NodeImage), err)
		}
	case <-ctx.Done():
		go func() { <-done; _ = p.Delete(in.Name, in.KubeconfigPath) }()
		return nil, fmt.Errorf("create kind cluster %q: %w", in.Name, ctx.Err())
	}
	return &Cluster{
		Name: in.Name, Kubeconfig: in.KubeconfigPath, Kind: true, Owned: true,
		CreateDuration: time.Since(start), provider: p, nodeImage: in.NodeImage,
	}, nil
}

func imageOrDefault(image string) string {
	if image == "" {
		return "kind default"
	}
	return image
}

// reachableTimeout bounds the first request to a given cluster: a
// kubeconfig pointing nowhere should fail in one line, not hang.
const reachableTimeout = 15 * time.Second

// UseExisting checks that a kubeconfig reaches a cluster and recognises a
// kind cluster behind it (so that node-level specs can run).
func UseExisting(ctx context.Context, kubeconfig string) (*Cluster, error) {
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return nil, fmt.Errorf("kubeconfig %s: %v", kubeconfig, err)
	}
	cfg.Timeout = reachableTimeout
	c, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("kubeconfig %s: %v", kubeconfig, err)
	}
	if _, err := c.Discovery().ServerVersion(); err != nil {
		return nil, fmt.Errorf("cluster of kubeconfig %s is unreachable (%s): %v", kubeconfig, cfg.Host, err)
	}
	cl := &Cluster{Kubeconfig: kubeconfig}
	// A kind cluster's nodes carry the cluster name in a container label.
	if dockerAnswers(ctx) == nil {
		p := newProvider(false)
		if names, err := p.List(); err == nil {
			for _, name := range names {
				nodes, err := p.ListNodes(name)
				if err != nil || len(nodes) == 0 {
					continue
				}
				if kc, err := p.KubeConfig(name, false); err == nil && strings.Contains(kc, cfg.Host) {
					cl.Name, cl.Kind, cl.provider = name, true, p
				}
			}
		}
	}
	return cl, nil
}

// Delete removes the cluster if this run created it.
func (c *Cluster) Delete() error {
	if c == nil || !c.Owned || c.provider == nil {
		return nil
	}
	return c.provider.Delete(c.Name, c.Kubeconfig)
}

// DeleteByName removes a kind cluster by name (for `cluster-down`).
func DeleteByName(name, kubeconfig string) error {
	return newProvider(false).Delete(name, kubeconfig)
}
