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
)

func newClusterUpCommand() *cobra.Command {
	var o struct {
		name, config, image, kubeconfig, sharedClass string
		timeouts                                     config.Timeouts
	}
	o.timeouts = config.DefaultTimeouts()
	cmd := &cobra.Command{
		Use:   "cluster-up",
		Short: "Create the kind cluster, load the test images and install the shared StorageClass",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			abs, err := filepath.Abs(o.kubeconfig)
			if err != nil {
				return err
			}
			start := time.Now()
			cl, err := cluster.Create(ctx, cluster.CreateInput{
				Name: o.name, ConfigPath: o.config, NodeImage: o.image, KubeconfigPath: abs,
				WaitForReady: o.timeouts.ClusterCreate, Verbose: true,
			})
			if err != nil {
				return err
			}
			created := time.Since(start)
			c, err := kube.NewClients(abs)
			if err != nil {
				return err
			}
			prep := cluster.PrepareInput{Config: c.Config, Client: c.Kube, Images: images.Defaults().LocalRefs(), SharedStorageClass: o.sharedClass}
			if _, err := cl.Prepare(ctx, prep); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "cluster %q up: created and Ready in %s, ready for the suites in %s\nexport KUBECONFIG=%s\n",
				o.name, created.Round(time.Second), time.Since(start).Round(time.Second), abs)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.name, "name", config.DefaultClusterName, "kind cluster name")
	f.StringVar(&o.config, "config", config.DefaultKindConfig, "kind cluster config")
	f.StringVar(&o.image, "image", "", "node image; empty: kind's default")
	f.StringVar(&o.kubeconfig, "kubeconfig", filepath.Join(config.DefaultArtifacts, "kubeconfig"), "where to write the cluster's kubeconfig")
	f.StringVar(&o.sharedClass, "shared-storage-class", config.DefaultSharedStorageClass, "StorageClass whose volumes survive a node")
	f.DurationVar(&o.timeouts.ClusterCreate, "timeout-cluster-create", o.timeouts.ClusterCreate, "kind cluster creation, nodes Ready")
	return cmd
}

func newClusterDownCommand() *cobra.Command {
	var name string
	cmd := &cobra.Command{
		Use:   "cluster-down",
		Short: "Delete the kind cluster",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cluster.DeleteByName(name, ""); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "deleted kind cluster %q\n", name)
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", config.DefaultClusterName, "kind cluster name")
	return cmd
}

func newCleanupCommand() *cobra.Command {
	var kubeconfig string
	cmd := &cobra.Command{
		Use:   "cleanup",
		Short: "Delete the namespaces that interrupted runs left on a cluster",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := kube.NewClients(kubeconfig)
			if err != nil {
				return err
			}
			deleted, err := kube.DeleteManagedNamespaces(cmd.Context(), c.Kube, "")
			fmt.Fprintf(cmd.OutOrStdout(), "deleted namespaces: %v\n", deleted)
			return err
		},
	}
	cmd.Flags().StringVar(&kubeconfig, "kubeconfig", filepath.Join(config.DefaultArtifacts, "kubeconfig"), "kubeconfig of the cluster to clean")
	return cmd
}
