package main

import (
	"fmt"
	"path/filepath"
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
		name, config, image, kubeconfig, sharedClass string
		timeouts                                     config.Timeouts
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
			ctx := cmd.Context()
			abs, err := filepath.Abs(o.kubeconfig)
			if err != nil {
				return err
			}
			start := time.Now()
			stderr := cmd.ErrOrStderr()
			cl, err := cluster.Create(ctx, cluster.CreateInput{
				Name: o.name, ConfigPath: o.config, NodeImage: o.image, KubeconfigPath: abs,
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
			c, err := kube.NewClients(kubeconfig)
			if err != nil {
				return err
			}
			deleted, err := kube.DeleteManagedNamespaces(cmd.Context(), c.Kube, "")
			fmt.Fprintf(cmd.OutOrStdout(), "deleted namespaces: %v\n", deleted)
			if err != nil {
				return err
			}
			rbac, err := incluster.RemoveLeftovers(cmd.Context(), c.Kube)
			fmt.Fprintf(cmd.OutOrStdout(), "deleted in-cluster runners' RBAC: %v\n", rbac)
			return err
		},
	}
	cmd.Flags().StringVar(&kubeconfig, "kubeconfig", filepath.Join(config.DefaultArtifacts, "kubeconfig"), "kubeconfig of the cluster to clean")
	return cmd
}
