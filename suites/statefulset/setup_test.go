//go:build e2e

package statefulset_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/stsconform/stsconform/framework/cluster"
	"github.com/stsconform/stsconform/framework/imagecheck"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/kube"
	"github.com/stsconform/stsconform/framework/report"
	"github.com/stsconform/stsconform/framework/suiterun"
)

// sharedState is what the first Ginkgo process tells every process about
// the cluster it prepared. The environment for the certification report
// stays on the first process, which builds the report (report_test.go).
type sharedState struct {
	Kubeconfig    string `json:"kubeconfig"`
	ClusterName   string `json:"clusterName"`
	Kind          bool   `json:"kind"`
	Owned         bool   `json:"owned"`
	RunID         string `json:"runID"`
	SharedStorage bool   `json:"sharedStorage"`
	// RunnerNode is the node an in-cluster run lives on: no workload is
	// scheduled there, so no spec drains, cordons or stops it.
	RunnerNode string `json:"runnerNode,omitempty"`
}

// What the setup prepared, for thisRun (env_test.go): specs reach it
// through their environment, never directly.
var (
	shared  sharedState
	clients *kube.Clients
	// created is the cluster process 1 created, deleted after the suite.
	created *cluster.Cluster
	// testImages is the image of every role, from the flags.
	testImages images.Set
)

// registerSetup adds the suite's setup and teardown. It is called from the
// test function, after flags are parsed: a node's timeout is fixed when the
// node is made, and it must honour --timeout-cluster-create and friends.
func registerSetup() {
	t := cfg.Timeouts
	// A failed creation is deleted and retried once.
	SynchronizedBeforeSuite(prepareCluster, useCluster, NodeTimeout(2*t.ClusterCreate+t.ClusterDelete+t.NodesReady+t.Prepare+t.ImagePull+environmentReadTimeout))
	SynchronizedAfterSuite(func(ctx SpecContext) {
		// Every process: nothing to release but the client.
	}, releaseCluster, NodeTimeout(t.Cleanup+t.ClusterDelete))
}

// prepareCluster runs on the first process: it creates or adopts the
// cluster, records its environment for the report and tells every process
// about it.
func prepareCluster(ctx SpecContext) []byte {
	Expect(cfg.Validate()).To(Succeed())
	Expect(os.MkdirAll(cfg.Artifacts, 0o755)).To(Succeed())
	st := sharedState{RunID: cfg.RunID}
	if st.RunID == "" {
		st.RunID = suiterun.NewRunID()
	}
	// Who ran what, on disk before anything can fail; the cluster's part
	// follows once it is ready.
	saveEnvironment(identify(report.Environment{}, st.RunID))
	var cl *cluster.Cluster
	var err error
	if cfg.InCluster {
		By("using the cluster this pod runs in")
		cl, err = cluster.UseExisting(ctx, "")
		Expect(err).NotTo(HaveOccurred())
	} else if cfg.Kubeconfig != "" {
		By("using the existing cluster of " + cfg.Kubeconfig)
		cl, err = cluster.UseExisting(ctx, cfg.Kubeconfig)
		Expect(err).NotTo(HaveOccurred())
	} else {
		By(fmt.Sprintf("creating kind cluster %q from %s (image %q), or using the one cluster-up kept", cfg.ClusterName, cfg.KindConfig, cfg.NodeImage))
		gates, err := cluster.ParseFeatureGates(cfg.FeatureGates)
		Expect(err).NotTo(HaveOccurred())
		cl, err = cluster.Create(ctx, cluster.CreateInput{
			Name: cfg.ClusterName, ConfigPath: cfg.KindConfig, NodeImage: cfg.NodeImage, FeatureGates: gates,
			KubeconfigPath: filepath.Join(cfg.Artifacts, "kubeconfig"),
			Keep:           cfg.KeepCluster, ReuseKept: true, By: "e2e", RunID: st.RunID,
			CreateTimeout: cfg.Timeouts.ClusterCreate, NodesReadyTimeout: cfg.Timeouts.NodesReady,
			DeleteTimeout: cfg.Timeouts.ClusterDelete, Poll: cfg.Timeouts.Poll,
			// Straight to the output (captured and shown with this node
			// when processes run in parallel): the first lines of a run
			// say which cluster it uses.
			Log: func(line string) { fmt.Fprintln(os.Stdout, line) },
		})
		Expect(err).NotTo(HaveOccurred())
		if cl.Owned {
			created = cl
			AddReportEntry("cluster creation", fmt.Sprintf("%s in %s", cl.Nodes.Count(), cl.CreateDuration.Round(time.Second)))
		}
	}
	st.Kubeconfig, st.ClusterName, st.Kind, st.Owned = cl.Kubeconfig, cl.Name, cl.Kind, cl.Owned
	c, err := kube.NewClients(cl.Kubeconfig)
	Expect(err).NotTo(HaveOccurred())
	if cfg.InCluster {
		st.RunnerNode, err = kube.SelfNode(ctx, kube.SelfInput{Client: c.Kube})
		Expect(err).NotTo(HaveOccurred())
		By("keeping every workload off " + st.RunnerNode + ", the runner's node")
	}

	if cl.Kind {
		By("loading the test images into every node; installing the StorageClass " + cfg.SharedStorageClass + " if missing")
	}
	set, err := cfg.Images()
	Expect(err).NotTo(HaveOccurred())
	set = set.Workloads()
	st.SharedStorage, err = cl.Prepare(ctx, cluster.PrepareInput{
		Config: c.Config, Client: c.Kube, Images: set.LocalRefs(), SharedStorageClass: cfg.SharedStorageClass,
	})
	Expect(err).NotTo(HaveOccurred())
	checkImages(ctx, c, set, st.RunID)
	collectEnvironment(ctx, cl, c.Kube, st.RunID)
	data, err := json.Marshal(st)
	Expect(err).NotTo(HaveOccurred())
	return data
}

// checkImages stops the run before any spec when a node cannot pull a test
// image, with one line naming the image and the kubelet's reason, instead
// of every spec timing out on pods in ImagePullBackOff.
func checkImages(ctx SpecContext, c *kube.Clients, set images.Set, runID string) {
	By("checking that the nodes can pull every test image")
	ns, err := kube.CreateNamespace(ctx, c.Kube, "image-check", runID)
	Expect(err).NotTo(HaveOccurred())
	err = imagecheck.CheckPullable(ctx, c.Kube, ns.Name, set, cfg.Timeouts.ImagePull, cfg.Timeouts.Poll)
	// Deletion is not awaited: no spec uses this namespace.
	if derr := kube.DeleteNamespace(context.WithoutCancel(ctx), c.Kube, ns.Name); derr != nil {
		GinkgoWriter.Printf("image check: %v\n", derr)
	}
	Expect(err).NotTo(HaveOccurred())
}

// useCluster runs on every process with what the first one prepared.
func useCluster(ctx SpecContext, data []byte) {
	Expect(json.Unmarshal(data, &shared)).To(Succeed())
	var err error
	testImages, err = cfg.Images()
	Expect(err).NotTo(HaveOccurred())
	clients, err = kube.NewClients(shared.Kubeconfig)
	Expect(err).NotTo(HaveOccurred())
}

// releaseCluster runs on the first process once every process is done.
func releaseCluster(ctx SpecContext) {
	if clients != nil && shared.RunID != "" {
		// Specs delete their own namespaces; this catches what an
		// interrupt or a failed cleanup left behind.
		left, err := kube.DeleteManagedNamespaces(ctx, clients.Kube, shared.RunID)
		if err != nil {
			GinkgoWriter.Printf("cleanup of run namespaces failed: %v\n", err)
		}
		if len(left) > 0 {
			GinkgoWriter.Printf("deleted namespaces left by this run: %v\n", left)
		}
	}
	if created != nil && !cfg.KeepCluster {
		By("deleting kind cluster " + created.Name)
		Expect(created.Delete()).To(Succeed())
	}
}
