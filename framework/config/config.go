// Package config holds the suite's settings: where the cluster comes from,
// where artifacts go, and every timeout, named, in one place.
package config

import (
	"flag"
	"fmt"
	"os"
	"time"

	"k8s.io/client-go/rest"

	"github.com/stsconform/stsconform/framework/cluster"
	"github.com/stsconform/stsconform/framework/images"
)

// Timeouts are the waits of the suites. Each is a budget for one kind of
// wait on a healthy 2-core kind cluster, with room for a loaded machine.
type Timeouts struct {
	PodReady      time.Duration // one pod to become Running and Ready
	SetReady      time.Duration // a whole StatefulSet to become ready
	PodGone       time.Duration // a deleted pod to disappear
	HoldObserved  time.Duration // how long a hold (an unready pod, a partition) must be seen to stop the controller
	DNS           time.Duration // a DNS name to resolve to the expected address
	PVCBound      time.Duration // a claim to bind
	Drain         time.Duration // a drain expected to succeed
	DrainBlocked  time.Duration // a drain expected to fail on a PDB
	NodeNotReady  time.Duration // a stopped node to be marked NotReady
	NodeReady     time.Duration // a restarted node to be Ready again
	Reschedule    time.Duration // a pod of a lost node to run elsewhere
	Quorum        time.Duration // a ZooKeeper ensemble to serve with one leader
	ClusterCreate time.Duration // one kind create (a failed one is retried once)
	NodesReady    time.Duration // every node of the kind config registered and Ready after creation
	Prepare       time.Duration // loading test images and installing the shared StorageClass
	// ImagePull bounds the pull check before any spec: one pod per image
	// role left Waiting for its pull. A registry the nodes cannot reach
	// fails fast (ErrImagePull); this only catches a slow or silent one.
	ImagePull     time.Duration
	ClusterDelete time.Duration // deleting the cluster the run created
	Cleanup       time.Duration // namespace deletion at the end of a spec
	Diagnostics   time.Duration // dumping a failed spec's namespace
	// ControllerObserve is how long a new or changed StatefulSet may wait
	// for the controller to observe it (status.observedGeneration). A
	// healthy controller takes milliseconds; a cluster without one must
	// fail in seconds with that diagnosis, not after every pod wait.
	ControllerObserve time.Duration
	// Exec bounds one command in a pod, stream included: a hung exec must
	// fail naming its command, not stall the spec.
	Exec time.Duration
	// Slack is what a node's own timeout adds to the wait inside it, so
	// that the wait fails first and reports the last state it saw.
	Slack time.Duration
	Poll  time.Duration // polling interval where there is no watch
}

// DefaultTimeouts are tuned for the kind cluster of kind-config.yaml. A
// spec's own budget (SpecTimeout) is computed from the waits it runs
// (Budget).
func DefaultTimeouts() Timeouts {
	return Timeouts{
		PodReady:      2 * time.Minute,
		SetReady:      4 * time.Minute,
		PodGone:       2 * time.Minute,
		HoldObserved:  10 * time.Second,
		DNS:           90 * time.Second,
		PVCBound:      2 * time.Minute,
		Drain:         3 * time.Minute,
		DrainBlocked:  15 * time.Second,
		NodeNotReady:  2 * time.Minute,
		NodeReady:     3 * time.Minute,
		Reschedule:    3 * time.Minute,
		Quorum:        90 * time.Second,
		ClusterCreate: 5 * time.Minute,
		// 5 nodes were Ready 27-32 s into creation on a 2-core machine;
		// pod networking (podnet) must be up on each first.
		NodesReady:    3 * time.Minute,
		Prepare:       3 * time.Minute,
		ImagePull:     2 * time.Minute,
		ClusterDelete: 3 * time.Minute,
		Cleanup:       3 * time.Minute,
		Diagnostics:   2 * time.Minute,
		// The controller answers in milliseconds; 30s covers a
		// controller-manager that is busy or restarting.
		ControllerObserve: 30 * time.Second,
		// The suite's commands (cat, hostname, nslookup, wget with its own
		// 3s timeout) finish in a second or two.
		Exec:  30 * time.Second,
		Slack: 30 * time.Second,
		Poll:  500 * time.Millisecond,
	}
}

// Defaults of the settings that the suite and the stsconform command share.
const (
	DefaultClusterName        = "stsconform"
	DefaultKindConfig         = "kind-config.yaml"
	DefaultArtifacts          = "_artifacts"
	DefaultSharedStorageClass = "stsconform-shared"
)

// Config is everything a run is told from outside.
type Config struct {
	Kubeconfig string // use this cluster; empty: create a kind cluster
	// InCluster runs from a pod of the cluster under test, with its
	// service account: no kind, and the runner's node kept out of every
	// disruption.
	InCluster   bool
	KindConfig  string
	ClusterName string
	NodeImage   string // empty: kind's default image
	// FeatureGates, "Name=true,...", are set on every component of a
	// cluster the run creates (cluster.ParseFeatureGates).
	FeatureGates string
	KeepCluster  bool
	Artifacts    string
	// StorageClass for node-local volumes; empty: the cluster default.
	StorageClass string
	// SharedStorageClass survives the loss of a node (node-failure spec);
	// the spec is skipped when the cluster has no such class.
	SharedStorageClass string
	RunID              string
	// ImagesFile maps image roles to references (fixtures/images.yaml
	// shape); ImageRegistry re-homes every image under one registry.
	ImagesFile    string
	ImageRegistry string
	Timeouts      Timeouts
}

// Register adds the suite's flags to fs, with Config's defaults.
func (c *Config) Register(fs *flag.FlagSet) {
	t := &c.Timeouts
	*t = DefaultTimeouts()
	fs.StringVar(&c.Kubeconfig, "kubeconfig", os.Getenv("KUBECONFIG"), "kubeconfig of an existing cluster to test; empty: create a kind cluster")
	fs.BoolVar(&c.InCluster, "in-cluster", false, "run from a pod of the cluster under test with its service account (the runner image does); workloads stay off the runner's node")
	fs.StringVar(&c.KindConfig, "kind-config", DefaultKindConfig, "kind cluster config used when creating a cluster")
	fs.StringVar(&c.ClusterName, "cluster-name", DefaultClusterName, "name of the kind cluster to create")
	fs.StringVar(&c.NodeImage, "node-image", "", "kind node image; empty: kind's default")
	fs.StringVar(&c.FeatureGates, "feature-gates", "", "feature gates Name=true,... for every component of a cluster this run creates; a cluster it reuses keeps its own")
	fs.BoolVar(&c.KeepCluster, "keep-cluster", false, "keep a cluster this run created")
	fs.StringVar(&c.Artifacts, "artifacts", DefaultArtifacts, "directory for reports, timelines and diagnostics")
	fs.StringVar(&c.StorageClass, "storage-class", "", "StorageClass for node-local volumes; empty: the cluster default")
	fs.StringVar(&c.SharedStorageClass, "shared-storage-class", DefaultSharedStorageClass, "StorageClass whose volumes survive the loss of a node")
	fs.StringVar(&c.RunID, "run-id", "", "label value marking this run's namespaces; empty: generated")
	fs.StringVar(&c.ImagesFile, "images", "", "file mapping image roles to references (the shape of fixtures/images.yaml); empty: the locally built images")
	fs.StringVar(&c.ImageRegistry, "image-registry", "", "re-home every test image under this registry (e.g. registry.example.com/stsconform)")
	for _, d := range []struct {
		p    *time.Duration
		name string
		help string
	}{
		{&t.PodReady, "timeout-pod-ready", "one pod Running and Ready"},
		{&t.SetReady, "timeout-set-ready", "a StatefulSet ready"},
		{&t.PodGone, "timeout-pod-gone", "a deleted pod gone"},
		{&t.HoldObserved, "hold-observed", "how long a hold (an unready pod, a partition) must be seen to stop the controller"},
		{&t.DNS, "timeout-dns", "a DNS name resolving as expected"},
		{&t.PVCBound, "timeout-pvc-bound", "a claim bound"},
		{&t.Drain, "timeout-drain", "a drain that should succeed"},
		{&t.DrainBlocked, "timeout-drain-blocked", "a drain that should be refused by a PodDisruptionBudget"},
		{&t.NodeNotReady, "timeout-node-notready", "a stopped node marked NotReady"},
		{&t.NodeReady, "timeout-node-ready", "a restarted node Ready"},
		{&t.Reschedule, "timeout-reschedule", "a lost node's pod running elsewhere"},
		{&t.Quorum, "timeout-quorum", "a ZooKeeper ensemble serving with one leader (election, or a follower detecting a lost leader)"},
		{&t.ClusterCreate, "timeout-cluster-create", "one kind cluster creation (a failed one is retried once)"},
		{&t.NodesReady, "timeout-nodes-ready", "every node of the kind config registered and Ready after creation"},
		{&t.Prepare, "timeout-prepare", "loading test images and installing the shared StorageClass"},
		{&t.ImagePull, "timeout-image-pull", "every test image pulled by a node, checked before any spec"},
		{&t.ClusterDelete, "timeout-cluster-delete", "deleting the cluster the run created"},
		{&t.Cleanup, "timeout-cleanup", "namespace deletion"},
		{&t.Diagnostics, "timeout-diagnostics", "dumping a failed spec's namespace"},
		{&t.ControllerObserve, "timeout-controller-observe", "the StatefulSet controller observing a new or changed StatefulSet"},
		{&t.Exec, "timeout-exec", "one command in a pod, stream included"},
		{&t.Slack, "timeout-slack", "what a node's timeout adds to the wait inside it"},
		{&t.Poll, "poll-interval", "polling interval where no watch is used"},
	} {
		fs.DurationVar(d.p, d.name, *d.p, "timeout: "+d.help)
	}
}

// Validate reports the first setting that cannot work, in one line.
func (c *Config) Validate() error {
	if c.InCluster {
		if c.Kubeconfig != "" {
			return fmt.Errorf("--in-cluster uses the pod's service account; unset --kubeconfig (and KUBECONFIG), which names %q", c.Kubeconfig)
		}
		if _, err := rest.InClusterConfig(); err != nil {
			return fmt.Errorf("--in-cluster: %w", err)
		}
	} else if c.Kubeconfig == "" {
		if _, err := os.Stat(c.KindConfig); err != nil {
			return fmt.Errorf("kind config %q: %w", c.KindConfig, err)
		}
	} else if _, err := os.Stat(c.Kubeconfig); err != nil {
		return fmt.Errorf("kubeconfig %q: %w", c.Kubeconfig, err)
	}
	if _, err := cluster.ParseFeatureGates(c.FeatureGates); err != nil {
		return fmt.Errorf("--feature-gates: %w", err)
	}
	if c.Artifacts == "" {
		return fmt.Errorf("--artifacts must name a directory")
	}
	if c.Timeouts.Poll <= 0 {
		return fmt.Errorf("--poll-interval must be positive")
	}
	if c.Timeouts.Exec <= 0 {
		return fmt.Errorf("--timeout-exec must be positive: every exec needs a deadline")
	}
	_, err := c.Images()
	return err
}

// Images resolves the image of every role: the defaults, a mapping file
// over them, then re-homed under ImageRegistry when one is given.
func (c *Config) Images() (images.Set, error) {
	s := images.Defaults()
	if c.ImagesFile != "" {
		var err error
		if s, err = images.Load(c.ImagesFile); err != nil {
			return nil, err
		}
	}
	if c.ImageRegistry != "" {
		if err := images.CheckRegistry(c.ImageRegistry); err != nil {
			return nil, fmt.Errorf("--image-registry: %w", err)
		}
		s = s.Rehome(c.ImageRegistry)
	}
	return s, nil
}
