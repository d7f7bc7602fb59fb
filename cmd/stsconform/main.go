// Command stsconform manages the test cluster outside of a suite run:
//
//	stsconform cluster-up   [--name stsconform] [--config kind-config.yaml] [--image IMAGE] [--kubeconfig PATH]
//	stsconform cluster-down [--name stsconform]
//	stsconform cleanup      --kubeconfig PATH   (delete namespaces left by interrupted runs)
//	stsconform verify       --guarantee ordered-creation|ordered-termination|rolling-update [--from N --to N | --replicas N --partition K --old REV --new REV] TIMELINE.json
//
// verify re-judges a recorded timeline (from _artifacts/timelines) with the
// suite's own checkers, so that an auditor can check the evidence offline.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/stsconform/stsconform/framework/cluster"
	"github.com/stsconform/stsconform/framework/config"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/kube"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "stsconform:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: stsconform cluster-up|cluster-down|cleanup|verify [flags]")
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	name := fs.String("name", "stsconform", "kind cluster name")
	cfgPath := fs.String("config", "kind-config.yaml", "kind cluster config")
	image := fs.String("image", "", "node image; empty: kind's default")
	kubeconfig := fs.String("kubeconfig", "", "kubeconfig to write (cluster-up) or use (cleanup); default _artifacts/kubeconfig")
	sharedClass := fs.String("shared-storage-class", "stsconform-shared", "StorageClass whose volumes survive a node")
	var v verifyFlags
	v.register(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *kubeconfig == "" {
		*kubeconfig = filepath.Join("_artifacts", "kubeconfig")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch args[0] {
	case "cluster-up":
		return clusterUp(ctx, *name, *cfgPath, *image, *kubeconfig, *sharedClass)
	case "cluster-down":
		if err := cluster.DeleteByName(*name, ""); err != nil {
			return err
		}
		fmt.Printf("deleted kind cluster %q\n", *name)
		return nil
	case "verify":
		return verify(os.Stdout, v, fs.Args())
	case "cleanup":
		c, err := kube.NewClients(*kubeconfig)
		if err != nil {
			return err
		}
		deleted, err := kube.DeleteManagedNamespaces(ctx, c.Kube, "")
		fmt.Printf("deleted namespaces: %v\n", deleted)
		return err
	}
	return fmt.Errorf("unknown command %q (want cluster-up, cluster-down, cleanup or verify)", args[0])
}

func clusterUp(ctx context.Context, name, cfgPath, image, kubeconfig, sharedClass string) error {
	abs, err := filepath.Abs(kubeconfig)
	if err != nil {
		return err
	}
	start := time.Now()
	cl, err := cluster.Create(ctx, cluster.CreateInput{
		Name: name, ConfigPath: cfgPath, NodeImage: image, KubeconfigPath: abs,
		WaitForReady: config.DefaultTimeouts().ClusterCreate, Verbose: true,
	})
	if err != nil {
		return err
	}
	created := time.Since(start)
	c, err := kube.NewClients(abs)
	if err != nil {
		return err
	}
	if _, err := cl.Prepare(ctx, cluster.PrepareInput{Config: c.Config, Client: c.Kube, Images: images.Workloads(), SharedStorageClass: sharedClass}); err != nil {
		return err
	}
	fmt.Printf("cluster %q up: created and Ready in %s, ready for the suites in %s\nexport KUBECONFIG=%s\n",
		name, created.Round(time.Second), time.Since(start).Round(time.Second), abs)
	return nil
}
