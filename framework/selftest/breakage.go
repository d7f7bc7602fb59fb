// Package selftest proves the suite on clusters broken on purpose: each
// Breakage says how a cluster is broken (fixtures/selftest/<name>/), which
// specs of the suite must then fail, with which first line and how fast,
// which must still pass, and what verdict each guarantee it touches must
// get. Evaluate judges a run's artifacts against it; `stsconform
// selftest` makes the clusters and runs the suite.
package selftest

import (
	"regexp"
	"slices"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/utils/ptr"

	"github.com/stsconform/stsconform/fixtures"
	"github.com/stsconform/stsconform/framework/config"
	"github.com/stsconform/stsconform/framework/report"
)

// ClusterName is the kind cluster each breakage is made in: never the
// suite's own (config.DefaultClusterName), which make e2e and cluster-up
// use.
const ClusterName = "stsconform-selftest"

// Breakage is one deliberately broken cluster and what the suite must
// conclude on it.
type Breakage struct {
	// Name is its directory under fixtures/selftest.
	Name string
	// ClusterOf names the breakage whose kind config this one's cluster is
	// made from, when both need the same cluster (the admission policy
	// API); empty: its own.
	ClusterOf string
	// Breaks says in one sentence what is broken.
	Breaks string
	// LabelFilter selects the specs the breakage concerns and the controls;
	// the rest would only add time.
	LabelFilter string
	// MustFail are the specs that must detect the breakage.
	MustFail []Rule
	// MustPass are controls: specs the breakage does not concern. If one
	// fails, the cluster is broken beyond the breakage and the failures
	// prove nothing about the suite.
	MustPass []Rule
	// Guarantees is the verdict each named guarantee must get; a guarantee
	// the breakage violates must never be "verified".
	Guarantees map[string]report.Verdict
	// Restart lists Deployments ("namespace/name") to restart after the
	// manifest is applied, for components that read it only at start.
	Restart []string
	// Mutated, when set, reports whether a StatefulSet read back from a
	// dry-run create shows the breakage's admission change: the suite only
	// runs once the change is in effect.
	Mutated func(*appsv1.StatefulSet) bool
}

// Rule selects specs of a run, by label or by text, and says how a
// selected spec must end.
type Rule struct {
	// Labels selects every spec carrying one of them.
	Labels []string
	// Text selects every spec whose full text contains it.
	Text string
	// AtLeast is how many selected specs the run must hold: a filter that
	// leaves them out must not pass for a detection.
	AtLeast int
	// FirstLine must match the first line of each selected spec's failure
	// (MustFail only).
	FirstLine *regexp.Regexp
	// Within bounds the time from a selected spec's start to its failure
	// (MustFail only): each must fail within its own budget, not the
	// suite's.
	Within time.Duration
}

// KindConfig is the kind config its cluster is made from.
func (b Breakage) KindConfig() ([]byte, error) {
	dir := b.Name
	if b.ClusterOf != "" {
		dir = b.ClusterOf
	}
	return fixtures.SelftestFile(dir, KindConfigFile)
}

// selects reports whether the rule selects the spec.
func (r Rule) selects(s Spec) bool {
	if r.Text != "" && strings.Contains(s.Text, r.Text) {
		return true
	}
	for _, l := range r.Labels {
		if slices.Contains(s.Labels, l) {
			return true
		}
	}
	return false
}

// selected are the specs of the run the rule selects.
func (r Rule) selected(specs []Spec) []Spec {
	var out []Spec
	for _, s := range specs {
		if r.selects(s) {
			out = append(out, s)
		}
	}
	return out
}

// String names the rule's selection in a problem.
func (r Rule) String() string {
	var parts []string
	if len(r.Labels) > 0 {
		parts = append(parts, "labelled "+strings.Join(r.Labels, " or "))
	}
	if r.Text != "" {
		parts = append(parts, "named "+`"`+r.Text+`"`)
	}
	return "specs " + strings.Join(parts, " or ")
}

// The specs of the suite's StatefulSet guarantees (every one creates a
// StatefulSet and waits for its controller), and the texts of the specs
// the breakages single out.
var (
	statefulSetGuarantees = []string{"OrderedCreation", "OrderedTeardown", "NetworkIdentity", "Storage", "RollingUpdate", "Parallel"}
	quorumSpec            = "ZooKeeper ensemble forms a quorum"
	claimSpec             = "Test cluster binds and writes a claim in each storage class"
	meshSpec              = "Test cluster resolves pod.service names and reaches a pod on every other node"
	failedPodSpec         = "StatefulSet failed pod deletes and recreates a pod its node rejected"
	parallelSpec          = "StatefulSet parallel pod management creates and deletes pods without waiting"
	partitionSpec         = "StatefulSet rolling update updates only ordinals at or above the partition as it is lowered step by step"
	rollingSpec           = "StatefulSet rolling update replaces pods from the highest ordinal down"
	rollbackSpec          = "StatefulSet rollback rolls back to the previous revision"
)

// observeSlack is what a spec may take besides the controller wait before
// it fails: its namespace, the StatefulSet's creation, the first poll.
const observeSlack = 15 * time.Second

// Breakages is the selftest's catalogue, in the order it runs them.
func Breakages() []Breakage {
	t := config.DefaultTimeouts()
	controllerStalled := regexp.MustCompile(`^the StatefulSet controller never observed \S+/\S+ \(observedGeneration 0 of \d+ after `)
	dnsFailed := regexp.MustCompile(`^DNS: `)
	return []Breakage{
		{
			Name:   "no-statefulset-controller",
			Breaks: `kube-controller-manager runs without the StatefulSet controller (--controllers=*,bootstrapsigner,tokencleaner,-statefulset): StatefulSets are stored but never observed, and no pod is created`,
			// Disruptive specs need more nodes than this cluster has and
			// would only skip.
			LabelFilter: "!Disruptive && !Slow",
			MustFail: []Rule{
				{Labels: statefulSetGuarantees, AtLeast: 12, FirstLine: controllerStalled, Within: t.ControllerObserve + observeSlack},
				// Issue 11: it used to read as a storage problem.
				{Text: claimSpec, AtLeast: 1, FirstLine: controllerStalled, Within: t.ControllerObserve + observeSlack},
				// Its BeforeAll deploys the ensemble; the later specs of the
				// Ordered container are then skipped.
				{Text: quorumSpec, AtLeast: 1, FirstLine: controllerStalled, Within: t.ControllerObserve + observeSlack},
			},
			MustPass: []Rule{{Text: meshSpec, AtLeast: 1}},
			Guarantees: map[string]report.Verdict{
				"OrderedCreation": report.Failed, "OrderedTeardown": report.Failed, "NetworkIdentity": report.Failed,
				"Storage": report.Failed, "RollingUpdate": report.Failed, "Parallel": report.Failed,
				"Ensemble": report.Failed, "Cluster": report.Failed,
				"PDB": report.NotVerified, "NodeFailure": report.NotVerified,
			},
		},
		{
			Name:        "parallel-mutation",
			Breaks:      "a MutatingAdmissionPolicy rewrites every StatefulSet created in a test namespace to podManagementPolicy: Parallel",
			LabelFilter: "OrderedCreation || OrderedTeardown || Parallel",
			MustFail: []Rule{{
				// Among them the halt of a scale-down behind an unready pod,
				// which Parallel would not halt.
				Labels: []string{"OrderedCreation", "OrderedTeardown"}, AtLeast: 7,
				FirstLine: regexp.MustCompile(`^the cluster changed StatefulSet \S+/\S+ on admission: spec\.podManagementPolicy OrderedReady -> Parallel`),
				// It is read back right after creation.
				Within: observeSlack,
			}},
			// The Parallel spec asks for what the policy writes.
			MustPass: []Rule{{Text: parallelSpec, AtLeast: 1}},
			Guarantees: map[string]report.Verdict{
				"OrderedCreation": report.Failed, "OrderedTeardown": report.Failed, "Parallel": report.Verified,
			},
			Mutated: func(s *appsv1.StatefulSet) bool { return s.Spec.PodManagementPolicy == appsv1.ParallelPodManagement },
		},
		{
			Name:        "partition-reset",
			ClusterOf:   "parallel-mutation",
			Breaks:      "a MutatingAdmissionPolicy rewrites every update of a StatefulSet in a test namespace to partition 0, so a staged update reaches every pod",
			LabelFilter: "RollingUpdate",
			MustFail: []Rule{{
				Text: partitionSpec, AtLeast: 1,
				FirstLine: regexp.MustCompile(`^the cluster changed StatefulSet \S+/\S+ on admission: spec\.updateStrategy\.rollingUpdate\.partition 4 -> 0`),
				// Deployed (4 pods, one after another), then read back from
				// the first update.
				Within: t.SetReady + observeSlack,
			}},
			// Updates without a partition write what the policy writes.
			MustPass:   []Rule{{Text: rollingSpec, AtLeast: 1}, {Text: rollbackSpec, AtLeast: 1}},
			Guarantees: map[string]report.Verdict{"RollingUpdate": report.Failed},
			Mutated: func(s *appsv1.StatefulSet) bool {
				return s.Spec.UpdateStrategy.RollingUpdate != nil && ptr.Deref(s.Spec.UpdateStrategy.RollingUpdate.Partition, 0) == 0
			},
		},
		{
			Name:        "dns-no-cluster-domain",
			Breaks:      "CoreDNS's Corefile has no kubernetes plugin: every name under cluster.local answers NXDOMAIN",
			LabelFilter: "NetworkIdentity || Cluster",
			MustFail: []Rule{
				// Deployed (a few seconds a pod), a probe pod, then the first
				// name's DNS wait.
				// The specs that resolve names are labelled DNS (two of
				// NetworkIdentity, the mesh spec of Cluster).
				{Labels: []string{"DNS"}, AtLeast: 3, FirstLine: dnsFailed, Within: t.DNS + 2*time.Minute},
			},
			// Controls: storage, and an identity spec that needs no DNS
			// (a rejected pod recreated under its name).
			MustPass: []Rule{{Text: claimSpec, AtLeast: 1}, {Text: failedPodSpec, AtLeast: 1}},
			Guarantees: map[string]report.Verdict{
				"NetworkIdentity": report.Failed, "Cluster": report.Failed,
			},
			Restart: []string{"kube-system/coredns"},
		},
	}
}
