package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/stsconform/stsconform/framework/cluster"
	"github.com/stsconform/stsconform/framework/config"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/kube"
	"github.com/stsconform/stsconform/incluster"
)

func newClusterUpCommand() *cobra.Command {
	var o struct {
		name, config, image, kubeconfig, sharedClass, featureGates string
		timeouts                                                   config.Timeouts
	}
	o.timeouts = config.DefaultTimeouts()
	cmd := &cobra.Command{
		Use:   "cluster-up",
		Short: "Create the kind cluster (every node Ready), load the test images and install the shared StorageClass",
		Long: `Create the kind cluster of the config and wait until every node of it is
registered and Ready; load the test images and install the shared StorageClass.
The cluster is marked as kept: make e2e (no KUBECONFIG) then uses it and does not
delete it. An earlier cluster of the name is replaced only if stsconform made it.
Host inotify limits below kind's recommendation are raised (root) or named.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkClusterUp(cmd, o.name, o.config, o.image, o.kubeconfig, o.sharedClass); err != nil {
				return err
			}
			gates, err := cluster.ParseFeatureGates(o.featureGates)
			if err != nil {
				return fmt.Errorf("--feature-gates: %w", err)
			}
			ctx := cmd.Context()
			abs, err := filepath.Abs(o.kubeconfig)
			if err != nil {
				return err
			}
			start := time.Now()
			stderr := cmd.ErrOrStderr()
			cl, err := cluster.Create(ctx, cluster.CreateInput{
				Name: o.name, ConfigPath: o.config, NodeImage: o.image, KubeconfigPath: abs, FeatureGates: gates,
				Keep: true, By: "cluster-up",
				CreateTimeout: o.timeouts.ClusterCreate, NodesReadyTimeout: o.timeouts.NodesReady,
				DeleteTimeout: o.timeouts.ClusterDelete, Poll: o.timeouts.Poll,
				Verbose: true, Log: func(line string) { fmt.Fprintln(stderr, line) },
			})
			if err != nil {
				return err
			}
			created := time.Since(start)
			c, err := kube.NewClients(abs)
			if err != nil {
				return err
			}
			prep := cluster.PrepareInput{Config: c.Config, Client: c.Kube, Images: images.Defaults().Workloads().LocalRefs(), SharedStorageClass: o.sharedClass}
			if _, err := cl.Prepare(ctx, prep); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "cluster %q up: %s in %s (%s of it waiting for nodes after kind's create), ready for the suites in %s\nexport KUBECONFIG=%s\n",
				o.name, cl.Nodes.Count(), created.Round(time.Second), cl.NodesReadyWait.Round(time.Second), time.Since(start).Round(time.Second), abs)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.name, "name", config.DefaultClusterName, "kind cluster name")
	f.StringVar(&o.config, "config", config.DefaultKindConfig, "kind cluster config")
	f.StringVar(&o.image, "image", "", "node image; empty: kind's default")
	f.StringVar(&o.featureGates, "feature-gates", "", "feature gates Name=true,... for every component (kind's featureGates, over the config's own)")
	f.StringVar(&o.kubeconfig, "kubeconfig", filepath.Join(config.DefaultArtifacts, "kubeconfig"), "where to write the cluster's kubeconfig")
	f.StringVar(&o.sharedClass, "shared-storage-class", config.DefaultSharedStorageClass, "StorageClass whose volumes survive a node")
	f.DurationVar(&o.timeouts.ClusterCreate, "timeout-cluster-create", o.timeouts.ClusterCreate, "one kind cluster creation (a failed one is retried once)")
	f.DurationVar(&o.timeouts.NodesReady, "timeout-nodes-ready", o.timeouts.NodesReady, "every node of the kind config registered and Ready after creation")
	return cmd
}

func newClusterDownCommand() *cobra.Command {
	var in cluster.DeleteInput
	cmd := &cobra.Command{
		Use:   "cluster-down",
		Short: "Delete the kind cluster, if stsconform made it",
		Long: `Delete the kind cluster of the name, if stsconform made it (cluster-up, or a
run that was interrupted) and no running stsconform uses it. --force deletes any
kind cluster of the name.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cluster.ValidateName(in.Name); err != nil {
				return fmt.Errorf("--name: %w", err)
			}
			did, err := cluster.DeleteByName(cmd.Context(), in)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), did)
			return nil
		},
	}
	cmd.Flags().StringVar(&in.Name, "name", config.DefaultClusterName, "kind cluster name")
	cmd.Flags().BoolVar(&in.Force, "force", false, "delete the cluster even if stsconform did not make it")
	return cmd
}

func newCleanupCommand() *cobra.Command {
	var kubeconfig string
	cmd := &cobra.Command{
		Use:   "cleanup",
		Short: "Delete the namespaces (and in-cluster runners' RBAC) that interrupted runs left on a cluster",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cleanup(cmd.Context(), cmd.OutOrStdout(), kubeconfig)
		},
	}
	cmd.Flags().StringVar(&kubeconfig, "kubeconfig", defaultKubeconfig(), "kubeconfig of the cluster to clean; default: $KUBECONFIG, else the one cluster-up wrote")
	return cmd
}

// defaultKubeconfig is an exported KUBECONFIG, as run and make e2e take
// it, else the kubeconfig cluster-up wrote.
func defaultKubeconfig() string {
	if kc := os.Getenv("KUBECONFIG"); kc != "" {
		return kc
	}
	return filepath.Join(config.DefaultArtifacts, "kubeconfig")
}

// cleanup deletes what interrupted runs left. A cluster that does not
// answer is named as such before anything is listed, and what was deleted
// is said only when something was.
func cleanup(ctx context.Context, out io.Writer, kubeconfig string) error {
	if _, err := os.Stat(kubeconfig); kubeconfig != "" && errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("kubeconfig %s: no such file (give --kubeconfig, or export KUBECONFIG)", kubeconfig)
	}
	c, err := kube.NewClients(kubeconfig)
	if err != nil {
		return err
	}
	if err := c.Reachable(ctx, kube.Source(kubeconfig)); err != nil {
		return err
	}
	deleted, err := kube.DeleteManagedNamespaces(ctx, c.Kube, "")
	if len(deleted) > 0 || err == nil {
		fmt.Fprintf(out, "deleted namespaces: %s\n", listOrNone(deleted))
	}
	if err != nil {
		return fmt.Errorf("deleting the namespaces of stsconform runs: %w", err)
	}
	rbac, err := incluster.RemoveLeftovers(ctx, c.Kube)
	if len(rbac) > 0 || err == nil {
		fmt.Fprintf(out, "deleted in-cluster runners' RBAC: %s\n", listOrNone(rbac))
	}
	if err != nil {
		return fmt.Errorf("deleting in-cluster runners' RBAC: %w", err)
	}
	return nil
}

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// checkClusterUp checks cluster-up's flags before kind or Docker is asked
// anything.
func checkClusterUp(cmd *cobra.Command, name, kindConfig, image, kubeconfig, sharedClass string) error {
	if err := cluster.ValidateName(name); err != nil {
		return fmt.Errorf("--name: %w", err)
	}
	if _, err := cluster.ValidateKindConfig(kindConfig); err != nil {
		return err
	}
	if image != "" {
		if err := images.CheckReference(image); err != nil {
			return fmt.Errorf("--image: %w", err)
		}
	}
	if err := checkOutputFile("kubeconfig", kubeconfig); err != nil {
		return err
	}
	if err := checkStorageClassName("shared-storage-class", sharedClass); err != nil {
		return err
	}
	return checkPositive(cmd, "timeout-cluster-create", "timeout-nodes-ready")
}
