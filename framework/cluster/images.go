package cluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"sigs.k8s.io/kind/pkg/cluster/nodeutils"
	"sigs.k8s.io/kind/pkg/exec"
)

// LoadImages puts local Docker images into every node of a kind cluster
// with kind's own loader (ctr import in each node), so that pods start them
// without any registry.
func (c *Cluster) LoadImages(ctx context.Context, images []string) error {
	if !c.Kind || c.provider == nil {
		return errors.New("loading images needs a kind cluster this host's Docker can reach")
	}
	nodes, err := c.provider.ListInternalNodes(c.Name)
	if err != nil {
		return fmt.Errorf("list nodes of kind cluster %q: %w", c.Name, err)
	}
	dir, err := os.MkdirTemp("", "stsconform-images-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	archive := filepath.Join(dir, "images.tar")
	if err := exec.CommandContext(ctx, "docker", append([]string{"save", "-o", archive}, images...)...).Run(); err != nil {
		return fmt.Errorf("docker save %v (build them with `make images`): %w", images, err)
	}
	for _, n := range nodes {
		f, err := os.Open(archive)
		if err != nil {
			return err
		}
		err = nodeutils.LoadImageArchive(n, f)
		f.Close()
		if err != nil {
			return fmt.Errorf("load images into node %s: %w", n.String(), err)
		}
	}
	return nil
}
