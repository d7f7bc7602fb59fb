// Package cluster provides the cluster a run tests: a kind cluster it
// creates from kind-config.yaml, proves (every node Ready), marks as its
// own and deletes afterwards; a kind cluster cluster-up kept, which it
// reuses; or an existing cluster given by kubeconfig. It never deletes a
// cluster stsconform did not make.
package cluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	kindv1alpha4 "sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
	kindcluster "sigs.k8s.io/kind/pkg/cluster"
	"sigs.k8s.io/kind/pkg/cluster/nodes"
	"sigs.k8s.io/kind/pkg/cmd"
	"sigs.k8s.io/yaml"

	"github.com/stsconform/stsconform/framework/kube"
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
	// Reused is set when the run uses a cluster cluster-up kept.
	Reused bool
	// CreateDuration is how long creation took, every node Ready (zero
	// when not created).
	CreateDuration time.Duration
	// NodesReadyWait is the part of CreateDuration after kind's create:
	// the wait for every node to register and be Ready.
	NodesReadyWait time.Duration
	// Nodes is the state of the nodes once all were Ready.
	Nodes NodesState
	// Cgroup is what creation did about the host's cgroup version (zero
	// when the run did not create the cluster).
	Cgroup CgroupDecision

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
	// Keep marks the cluster "keep" (cluster-up, --keep-cluster): later
	// runs reuse it and never delete it. Otherwise it is "temporary": a
	// later run replaces it, as one left by an interrupted run.
	Keep bool
	// FeatureGates are set on every component of a cluster Create makes,
	// over the kind config's own (ParseFeatureGates); a reused cluster
	// keeps the gates it has.
	FeatureGates map[string]bool
	// ReuseKept uses a kept cluster of the same name as it is instead of
	// replacing it (the suite; cluster-up replaces).
	ReuseKept bool
	// By names the maker in the marker: "cluster-up" or "e2e".
	By    string
	RunID string
	// CreateTimeout bounds one kind create (a failed one is retried once);
	// NodesReadyTimeout the wait for every node to register and be Ready.
	CreateTimeout     time.Duration
	NodesReadyTimeout time.Duration
	// DeleteTimeout bounds deleting a half-made cluster.
	DeleteTimeout time.Duration
	Poll          time.Duration
	// Verbose prints kind's progress to stderr.
	Verbose bool
	// Log receives one line for each thing a user should know: a reused
	// or replaced cluster, raised host limits, a retry, a kubelet setting
	// the host needs. Nil: dropped.
	Log func(string)

	// config is the parsed kind config with what the host needs added; nil
	// creates from ConfigPath as written.
	config *kindv1alpha4.Cluster
}

func (in CreateInput) log(format string, args ...any) {
	if in.Log != nil {
		in.Log(fmt.Sprintf(format, args...))
	}
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

// Create provides the kind cluster of a run: it creates one, proves every
// node of the config registered and Ready, and marks it as made by
// stsconform. An existing cluster of the name is reused, replaced or left
// alone as PlanExisting decides: never is a cluster stsconform did not
// make deleted.
func Create(ctx context.Context, in CreateInput) (*Cluster, error) {
	if err := ValidateName(in.Name); err != nil {
		return nil, err
	}
	if in.Name == "" || in.ConfigPath == "" || in.KubeconfigPath == "" || in.CreateTimeout <= 0 || in.NodesReadyTimeout <= 0 || in.DeleteTimeout <= 0 || in.Poll <= 0 {
		return nil, errors.New("cluster.Create: Name, ConfigPath, KubeconfigPath and the timeouts are required")
	}
	kc, err := ValidateKindConfig(in.ConfigPath)
	if err != nil {
		return nil, err
	}
	if err := dockerAnswers(ctx); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(in.KubeconfigPath), 0o755); err != nil {
		return nil, err
	}
	host, err := hostCgroupVersion(ctx, runDocker)
	if err != nil {
		in.log("reading the host's cgroup version: %v", err)
	}
	cgroup := DecideCgroup(host, in.NodeImage)
	if cgroup.AllowV1 {
		cgroup.Apply(kc)
		in.config = kc
	}
	if len(in.FeatureGates) > 0 {
		applyFeatureGates(kc, in.FeatureGates)
		in.config = kc
	}
	p := newProvider(in.Verbose)
	found, err := inspect(ctx, p, in.Name)
	if err != nil {
		return nil, err
	}
	pin := PlanInput{Name: in.Name, ReuseKept: in.ReuseKept, Image: in.NodeImage, Found: found}
	if found.Exists && found.Marker == nil && found.MarkerErr == nil {
		// Not ours: tell how to use it, without touching it.
		if p.ExportKubeConfig(in.Name, in.KubeconfigPath, false) == nil {
			pin.Kubeconfig = in.KubeconfigPath
		}
	}
	plan, err := PlanExisting(pin)
	if err != nil {
		return nil, err
	}
	if plan == PlanReuse {
		if len(in.FeatureGates) > 0 {
			in.log("feature gates %s not applied: the kept cluster %q is used as it is (cluster-down, or cluster-up with the gates, to make one with them)", FormatFeatureGates(in.FeatureGates), in.Name)
		}
		return reuse(ctx, p, in, *found.Marker)
	}
	if cgroup.Note != "" {
		in.log("%s", cgroup.Note)
	}
	if len(in.FeatureGates) > 0 {
		in.log("feature gates %s on every component (kind's featureGates, over the kind config's own)", FormatFeatureGates(in.FeatureGates))
	}
	raised, err := EnsureHostLimits()
	if err != nil {
		return nil, err
	}
	if raised != "" {
		in.log("%s", raised)
	}
	if plan == PlanReplace {
		m := found.Marker
		if m.Mode == ModeTemporary {
			in.log("replacing kind cluster %q left by an interrupted %s (%s)", in.Name, m.By, m.describe())
		} else {
			in.log("replacing kind cluster %q made by %s (%s)", in.Name, m.By, m.describe())
		}
		if err := p.Delete(in.Name, ""); err != nil {
			return nil, fmt.Errorf("delete kind cluster %q: %w", in.Name, err)
		}
	}

	start := time.Now()
	if err := createWithRetry(ctx, p, in); err != nil {
		return nil, err
	}
	mode := ModeTemporary
	if in.Keep {
		mode = ModeKeep
	}
	cl := &Cluster{Name: in.Name, Kubeconfig: in.KubeconfigPath, Kind: true, Owned: true, Cgroup: cgroup, provider: p, nodeImage: in.NodeImage}
	if err := writeMarker(p, in.Name, newMarker(mode, in.By, in.RunID, in.NodeImage)); err != nil {
		_ = cl.Delete()
		return nil, err
	}
	created := time.Now()
	state, err := waitNodesReady(ctx, p, in.Name, in.KubeconfigPath, in.NodesReadyTimeout, in.Poll)
	if err == nil && len(state.Want) != len(kc.Nodes) {
		err = fmt.Errorf("kind cluster %q has %d node containers, %s asks for %d", in.Name, len(state.Want), in.ConfigPath, len(kc.Nodes))
	}
	if err != nil {
		// The error carries the evidence; a half-working cluster would
		// only be mistaken for a good one by the next run.
		_ = cl.Delete()
		return nil, err
	}
	cl.Nodes, cl.CreateDuration, cl.NodesReadyWait = state, time.Since(start), time.Since(created)
	return cl, nil
}

// reuse adopts a cluster cluster-up kept, once its nodes are all Ready.
func reuse(ctx context.Context, p *kindcluster.Provider, in CreateInput, m Marker) (*Cluster, error) {
	in.log("using kind cluster %q kept by %s (%s); this run will not delete it", in.Name, m.By, m.describe())
	if err := p.ExportKubeConfig(in.Name, in.KubeconfigPath, false); err != nil {
		return nil, fmt.Errorf("kubeconfig of kind cluster %q: %w", in.Name, err)
	}
	state, err := waitNodesReady(ctx, p, in.Name, in.KubeconfigPath, in.NodesReadyTimeout, in.Poll)
	if err != nil {
		return nil, fmt.Errorf("%w\n(the kept cluster is not healthy: remake it with make cluster-down cluster-up)", err)
	}
	return &Cluster{Name: in.Name, Kubeconfig: in.KubeconfigPath, Kind: true, Reused: true, Nodes: state, provider: p, nodeImage: in.NodeImage}, nil
}

// createWithRetry runs kind's create; a failed one (a kubeadm join lost
// under load, ...) is reported with its cause, deleted and tried once more.
// A timeout or an interrupt is not retried.
func createWithRetry(ctx context.Context, p *kindcluster.Provider, in CreateInput) error {
	first, err := createOnce(ctx, p, in)
	if err == nil || first == nil {
		return err
	}
	in.log("kind create of cluster %q failed: %s; deleted the half-made cluster, retrying once", in.Name, first.Summary())
	second, err := createOnce(ctx, p, in)
	if err == nil || second == nil {
		return err
	}
	return fmt.Errorf("create kind cluster %q (image %s) failed twice: %s\n%s\nfirst attempt: %s",
		in.Name, imageOrDefault(in.NodeImage), second.Summary(), second.Details(), first.Summary())
}

// createOnce runs one kind create. A failure of kind's own is returned as
// a *CreateFailure (the cluster deleted, evidence kept in it); a timeout
// or interrupt as an error with a nil failure.
func createOnce(ctx context.Context, p *kindcluster.Provider, in CreateInput) (*CreateFailure, error) {
	config := kindcluster.CreateWithConfigFile(in.ConfigPath)
	if in.config != nil {
		config = kindcluster.CreateWithV1Alpha4Config(in.config)
	}
	opts := []kindcluster.CreateOption{
		config,
		kindcluster.CreateWithKubeconfigPath(in.KubeconfigPath),
		// The nodes are waited for afterwards, every one of them: kind
		// waits only for the control plane, and only warns on timeout.
		kindcluster.CreateWithWaitForReady(0),
		// Kept until the failing node's kubelet journal is read.
		kindcluster.CreateWithRetain(true),
		kindcluster.CreateWithDisplayUsage(false),
		kindcluster.CreateWithDisplaySalutation(false),
	}
	if in.NodeImage != "" {
		opts = append(opts, kindcluster.CreateWithNodeImage(in.NodeImage))
	}
	ctx, cancel := context.WithTimeout(ctx, in.CreateTimeout)
	defer cancel()
	// kind's Create takes no context; run it aside so that an interrupt or
	// the timeout is noticed, and clean up whatever it made once it returns.
	done := make(chan error, 1)
	go func() { done <- p.Create(in.Name, opts...) }()
	select {
	case err := <-done:
		if err == nil {
			return nil, nil
		}
		f := DescribeCreateError(err)
		if n := nodeNamed(p, in.Name, f.Node); n != nil {
			f.Journal = kubeletJournal(context.WithoutCancel(ctx), n)
			if hint := journalHint(map[string][]string{f.Node: f.Journal}); hint != "" {
				f.Cause = append(f.Cause, hint)
			}
		}
		if err := deleteHalfMade(ctx, p, in.Name, in.KubeconfigPath, in.DeleteTimeout); err != nil {
			// A retry would meet the leftovers: stop here.
			return nil, fmt.Errorf("create kind cluster %q (image %s): %s\n%s\n%w", in.Name, imageOrDefault(in.NodeImage), f.Summary(), f.Details(), err)
		}
		return &f, fmt.Errorf("create kind cluster %q (image %s): %s\n%s", in.Name, imageOrDefault(in.NodeImage), f.Summary(), f.Details())
	case <-ctx.Done():
		go func() { <-done; _ = deleteHalfMade(ctx, p, in.Name, in.KubeconfigPath, in.DeleteTimeout) }()
		return nil, fmt.Errorf("create kind cluster %q: not done after %s (--timeout-cluster-create): %w", in.Name, in.CreateTimeout, ctx.Err())
	}
}

// halfMadePoll is how often deleteHalfMade looks for nodes of the name.
const halfMadePoll = 2 * time.Second

// deleteHalfMade deletes what a failed create left. kind returns on the
// first node that failed while its other nodes are still being created, and
// deletes nothing when told to retain: a node can appear after a delete, so
// delete until two looks in a row find no node of the name.
func deleteHalfMade(ctx context.Context, p *kindcluster.Provider, name, kubeconfig string, timeout time.Duration) error {
	empty := 0
	var lastErr error
	err := wait.PollUntilContextTimeout(context.WithoutCancel(ctx), halfMadePoll, timeout, true, func(context.Context) (bool, error) {
		left, err := p.ListNodes(name)
		if err != nil {
			lastErr = err
			return false, nil
		}
		if len(left) == 0 {
			empty++
			return empty >= 2, nil
		}
		empty = 0
		if err := p.Delete(name, kubeconfig); err != nil {
			lastErr = err
		}
		return false, nil
	})
	if err != nil {
		return fmt.Errorf("the half-made kind cluster %q is still there after %s (last error: %v): delete it with make cluster-down FORCE=true", name, timeout, lastErr)
	}
	return nil
}

func nodeNamed(p *kindcluster.Provider, cluster, name string) nodes.Node {
	if name == "" {
		return nil
	}
	all, err := p.ListNodes(cluster)
	if err != nil {
		return nil
	}
	for _, n := range all {
		if n.String() == name {
			return n
		}
	}
	return nil
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
// kind cluster behind it (so that node-level specs can run). An empty
// kubeconfig means the pod's own service account (an in-cluster run).
func UseExisting(ctx context.Context, kubeconfig string) (*Cluster, error) {
	source := "kubeconfig " + kubeconfig
	if kubeconfig == "" {
		source = "the in-cluster service account"
	}
	cfg, err := kube.RESTConfig(kubeconfig)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", source, err)
	}
	cfg.Timeout = reachableTimeout
	c, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", source, err)
	}
	if _, err := c.Discovery().ServerVersion(); err != nil {
		return nil, fmt.Errorf("the cluster of %s is unreachable (%s): %v", source, cfg.Host, err)
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

// DeleteInput configures DeleteByName.
type DeleteInput struct {
	Name string
	// Kubeconfig: a file from which kind removes the cluster's entry.
	Kubeconfig string
	// Force deletes a cluster stsconform did not make, or one whose maker
	// still runs.
	Force bool
}

// DeleteByName removes a kind cluster by name (for `cluster-down`): only
// one stsconform made and nobody uses, unless forced. It returns one line
// saying what it did.
func DeleteByName(ctx context.Context, in DeleteInput) (string, error) {
	if err := dockerAnswers(ctx); err != nil {
		return "", err
	}
	p := newProvider(false)
	found, err := inspect(ctx, p, in.Name)
	if err != nil {
		return "", err
	}
	del, err := PlanDown(in.Name, found, in.Force)
	if err != nil || !del {
		return fmt.Sprintf("no kind cluster %q", in.Name), err
	}
	if err := p.Delete(in.Name, in.Kubeconfig); err != nil {
		return "", fmt.Errorf("delete kind cluster %q: %w", in.Name, err)
	}
	if found.Marker == nil {
		return fmt.Sprintf("deleted kind cluster %q (--force; not made by stsconform)", in.Name), nil
	}
	return fmt.Sprintf("deleted kind cluster %q (made by %s, %s)", in.Name, found.Marker.By, found.Marker.describe()), nil
}
