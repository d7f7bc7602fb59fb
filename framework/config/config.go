// Package config holds the suite's settings: where the cluster comes from,
// where artifacts go, and every timeout, named, in one place.
package config

import (
	"flag"
	"fmt"
	"os"
	"time"
)

// Timeouts are the waits of the suites. Each is a budget for one kind of
// wait on a healthy 2-core kind cluster, with room for a loaded machine.
type Timeouts struct {
	PodReady      time.Duration // one pod to become Running and Ready
	SetReady      time.Duration // a whole StatefulSet to become ready
	PodGone       time.Duration // a deleted pod to disappear
	HoldObserved  time.Duration // how long a held pod must block its successor
	DNS           time.Duration // a DNS name to resolve to the expected address
	PVCBound      time.Duration // a claim to bind
	Drain         time.Duration // a drain expected to succeed
	DrainBlocked  time.Duration // a drain expected to fail on a PDB
	NodeNotReady  time.Duration // a stopped node to be marked NotReady
	NodeReady     time.Duration // a restarted node to be Ready again
	Reschedule    time.Duration // a pod of a lost node to run elsewhere
	Quorum        time.Duration // a ZooKeeper ensemble to serve with one leader
	ClusterCreate time.Duration // kind cluster creation, nodes Ready
	Cleanup       time.Duration // namespace deletion at the end of a spec
	Poll          time.Duration // polling interval where there is no watch
}

// DefaultTimeouts are tuned for the kind cluster of kind-config.yaml.
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
		Cleanup:       3 * time.Minute,
		Poll:          500 * time.Millisecond,
	}
}

// Config is everything a run is told from outside.
type Config struct {
	Kubeconfig  string // use this cluster; empty: create a kind cluster
	KindConfig  string
	ClusterName string
	NodeImage   string // empty: kind's default image
	KeepCluster bool
	Artifacts   string
	// StorageClass for node-local volumes; empty: the cluster default.
	StorageClass string
	// SharedStorageClass survives the loss of a node (node-failure spec);
	// the spec is skipped when the cluster has no such class.
	SharedStorageClass string
	RunID              string
	Timeouts           Timeouts
}

// Register adds the suite's flags to fs, with Config's defaults.
func (c *Config) Register(fs *flag.FlagSet) {
	t := &c.Timeouts
	*t = DefaultTimeouts()
	fs.StringVar(&c.Kubeconfig, "kubeconfig", os.Getenv("KUBECONFIG"), "kubeconfig of an existing cluster to test; empty: create a kind cluster")
	fs.StringVar(&c.KindConfig, "kind-config", "kind-config.yaml", "kind cluster config used when creating a cluster")
	fs.StringVar(&c.ClusterName, "cluster-name", "stsconform", "name of the kind cluster to create")
	fs.StringVar(&c.NodeImage, "node-image", "", "kind node image; empty: kind's default")
	fs.BoolVar(&c.KeepCluster, "keep-cluster", false, "keep a cluster this run created")
	fs.StringVar(&c.Artifacts, "artifacts", "_artifacts", "directory for reports, timelines and diagnostics")
	fs.StringVar(&c.StorageClass, "storage-class", "", "StorageClass for node-local volumes; empty: the cluster default")
	fs.StringVar(&c.SharedStorageClass, "shared-storage-class", "stsconform-shared", "StorageClass whose volumes survive the loss of a node")
	fs.StringVar(&c.RunID, "run-id", "", "label value marking this run's namespaces; empty: generated")
	for _, d := range []struct {
		p    *time.Duration
		name string
		help string
	}{
		{&t.PodReady, "timeout-pod-ready", "one pod Running and Ready"},
		{&t.SetReady, "timeout-set-ready", "a StatefulSet ready"},
		{&t.PodGone, "timeout-pod-gone", "a deleted pod gone"},
		{&t.HoldObserved, "hold-observed", "how long a held pod must block its successor"},
		{&t.DNS, "timeout-dns", "a DNS name resolving as expected"},
		{&t.PVCBound, "timeout-pvc-bound", "a claim bound"},
		{&t.Drain, "timeout-drain", "a drain that should succeed"},
		{&t.DrainBlocked, "timeout-drain-blocked", "a drain that should be refused by a PodDisruptionBudget"},
		{&t.NodeNotReady, "timeout-node-notready", "a stopped node marked NotReady"},
		{&t.NodeReady, "timeout-node-ready", "a restarted node Ready"},
		{&t.Reschedule, "timeout-reschedule", "a lost node's pod running elsewhere"},
		{&t.Quorum, "timeout-quorum", "a ZooKeeper ensemble serving with one leader (election, or a follower detecting a lost leader)"},
		{&t.ClusterCreate, "timeout-cluster-create", "kind cluster creation"},
		{&t.Cleanup, "timeout-cleanup", "namespace deletion"},
		{&t.Poll, "poll-interval", "polling interval where no watch is used"},
	} {
		fs.DurationVar(d.p, d.name, *d.p, "timeout: "+d.help)
	}
}

// Validate reports the first setting that cannot work, in one line.
func (c *Config) Validate() error {
	if c.Kubeconfig == "" {
		if _, err := os.Stat(c.KindConfig); err != nil {
			return fmt.Errorf("kind config %q: %w", c.KindConfig, err)
		}
	} else if _, err := os.Stat(c.Kubeconfig); err != nil {
		return fmt.Errorf("kubeconfig %q: %w", c.Kubeconfig, err)
	}
	if c.Artifacts == "" {
		return fmt.Errorf("--artifacts must name a directory")
	}
	if c.Timeouts.Poll <= 0 {
		return fmt.Errorf("--poll-interval must be positive")
	}
	return nil
}
