// Package selftest proves the suite on clusters broken on purpose: each
// Breakage says how a cluster is broken (fixtures/selftest/<name>/), which
// specs of the suite must then fail, with which first line and how fast,
// which must still pass, and what verdict each guarantee it touches must
// get. Evaluate judges a run's artifacts against it; `stsconform
// selftest` makes the clusters and runs the suite.
package selftest

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"
	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/utils/ptr"

	"github.com/stsconform/stsconform/fixtures"
	"github.com/stsconform/stsconform/framework/config"
	"github.com/stsconform/stsconform/framework/guarantee"
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

// Rule selects specs of a run by their labels and says how a selected spec
// must end. Rules name no spec text: the labels come from the
// declarations (framework/guarantee), and a unit test walks the suite's
// source and fails when a rule selects fewer specs than it needs
// (TestRulesSelectSpecsOfTheSuite).
type Rule struct {
	// Filter is a Ginkgo label filter selecting the specs.
	Filter string
	// Ordered says the selected specs are one Ordered container whose
	// setup (BeforeAll) the breakage fails: Ginkgo fails its first spec
	// with the setup's failure and skips the others. The first must then
	// fail as the rule says, the others be skipped.
	Ordered bool
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

// selects reports whether the rule selects the spec. A filter Ginkgo
// cannot parse selects nothing (TestBreakagesAreComplete refuses it).
func (r Rule) selects(s Spec) bool {
	f, err := types.ParseLabelFilter(r.Filter)
	return err == nil && f(s.Labels)
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
	return fmt.Sprintf("specs labelled %s", r.Filter)
}

// anyOf is a filter selecting the specs of any of the guarantees.
func anyOf(gs ...guarantee.Guarantee) string {
	var labels []string
	for _, g := range gs {
		labels = append(labels, g.Label)
	}
	return strings.Join(labels, " || ")
}

// not negates a label in a filter.
func not(label string) string { return "!" + label }

// and joins filters.
func and(filters ...string) string { return strings.Join(filters, " && ") }

// The StatefulSet guarantees whose every spec creates a StatefulSet and
// waits for its controller, outside an Ordered container.
var statefulSetGuarantees = []guarantee.Guarantee{guarantee.OrderedCreation, guarantee.OrderedTeardown, guarantee.NetworkIdentity,
	guarantee.Storage, guarantee.RollingUpdate, guarantee.Parallel}

// The specs the breakages single out, by their labels.
var (
	// The ZooKeeper ensemble that runs with the other specs (the
	// disruptive one is Serial and needs more nodes).
	ensembleSpecs = and(guarantee.Ensemble.Label, not(guarantee.Disruptive))
	// The test cluster's claim spec and its mesh spec (plain pods).
	claimSpec = and(guarantee.Cluster.Label, not(guarantee.DNS))
	meshSpec  = and(guarantee.Cluster.Label, guarantee.DNS)
	// The identity spec that needs no DNS: a rejected pod recreated under
	// its name.
	failedPodSpec = and(guarantee.NetworkIdentity.Label, not(guarantee.DNS))
	parallelSpec  = guarantee.Parallel.Label
	partitionSpec = and(guarantee.RollingUpdate.Label, guarantee.Partition)
	rollingSpec   = and(guarantee.RollingUpdate.Label, not(guarantee.Partition), not(guarantee.Rollback))
	rollbackSpec  = and(guarantee.RollingUpdate.Label, guarantee.Rollback)
	// The storage specs whose claims are retained.
	retainedClaimsSpec = and(guarantee.Storage.Label, not(guarantee.ClaimRetention.Label))
)

// observeSlack is what a spec may take besides the controller wait before
// it fails: its namespace, the StatefulSet's creation, the first poll.
const observeSlack = 15 * time.Second

// verdictMap is the verdict each guarantee (by label) must get.
type verdictMap map[string]report.Verdict

// verdicts says every guarantee of gs must get v.
func verdicts(v report.Verdict, gs ...guarantee.Guarantee) verdictMap {
	return verdictMap{}.with(v, gs...)
}

// with adds that every guarantee of gs must get v.
func (m verdictMap) with(v report.Verdict, gs ...guarantee.Guarantee) verdictMap {
	for _, g := range gs {
		m[g.Label] = v
	}
	return m
}

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
			LabelFilter: and(not(guarantee.Disruptive), not(guarantee.Slow)),
			MustFail: []Rule{
				{Filter: anyOf(statefulSetGuarantees...), AtLeast: 12, FirstLine: controllerStalled, Within: t.ControllerObserve + observeSlack},
				// Issue 11: it used to read as a storage problem.
				{Filter: claimSpec, AtLeast: 1, FirstLine: controllerStalled, Within: t.ControllerObserve + observeSlack},
				// Its BeforeAll deploys the ensemble: the first spec (the
				// quorum) fails, the rest of the Ordered container is skipped.
				{Filter: ensembleSpecs, Ordered: true, AtLeast: 1, FirstLine: controllerStalled, Within: t.ControllerObserve + observeSlack},
			},
			MustPass: []Rule{{Filter: meshSpec, AtLeast: 1}},
			Guarantees: verdicts(report.Failed, append(statefulSetGuarantees, guarantee.Ensemble, guarantee.Cluster)...).
				with(report.NotVerified, guarantee.PDB, guarantee.NodeFailure),
		},
		{
			Name:        "parallel-mutation",
			Breaks:      "a MutatingAdmissionPolicy rewrites every StatefulSet created in a test namespace to podManagementPolicy: Parallel",
			LabelFilter: anyOf(guarantee.OrderedCreation, guarantee.OrderedTeardown, guarantee.Parallel),
			MustFail: []Rule{{
				// Among them the halt of a scale-down behind an unready pod,
				// which Parallel would not halt.
				Filter: anyOf(guarantee.OrderedCreation, guarantee.OrderedTeardown), AtLeast: 7,
				FirstLine: regexp.MustCompile(`^the cluster changed StatefulSet \S+/\S+ on admission: spec\.podManagementPolicy OrderedReady -> Parallel`),
				// It is read back right after creation.
				Within: observeSlack,
			}},
			// The Parallel spec asks for what the policy writes.
			MustPass:   []Rule{{Filter: parallelSpec, AtLeast: 1}},
			Guarantees: verdicts(report.Failed, guarantee.OrderedCreation, guarantee.OrderedTeardown).with(report.Verified, guarantee.Parallel),
			Mutated:    func(s *appsv1.StatefulSet) bool { return s.Spec.PodManagementPolicy == appsv1.ParallelPodManagement },
		},
		{
			Name:        "partition-reset",
			ClusterOf:   "parallel-mutation",
			Breaks:      "a MutatingAdmissionPolicy rewrites every update of a StatefulSet in a test namespace to partition 0, so a staged update reaches every pod",
			LabelFilter: guarantee.RollingUpdate.Label,
			MustFail: []Rule{{
				Filter: partitionSpec, AtLeast: 3,
				FirstLine: regexp.MustCompile(`^the cluster changed StatefulSet \S+/\S+ on admission: spec\.updateStrategy\.rollingUpdate\.partition [1-9]\d* -> 0`),
				// Deployed (4 pods, or 3 with partition 1, one after
				// another), then read back from the first update.
				Within: t.SetReady + observeSlack,
			}},
			// Updates without a partition write what the policy writes.
			MustPass:   []Rule{{Filter: rollingSpec, AtLeast: 1}, {Filter: rollbackSpec, AtLeast: 1}},
			Guarantees: verdicts(report.Failed, guarantee.RollingUpdate),
			Mutated: func(s *appsv1.StatefulSet) bool {
				return s.Spec.UpdateStrategy.RollingUpdate != nil && ptr.Deref(s.Spec.UpdateStrategy.RollingUpdate.Partition, 0) == 0
			},
		},
		{
			Name:      "claim-extra-owner",
			ClusterOf: "parallel-mutation",
			Breaks:    "a MutatingAdmissionPolicy gives every claim created in a test namespace an extra ownerReference, to a ClusterRole made for it, so the garbage collector never deletes a claim the retention policy deletes",
			// The ordered teardown spec that keeps claims asks nothing of
			// their owners; the storage and retention specs are enough.
			LabelFilter: anyOf(guarantee.Storage, guarantee.ClaimRetention),
			MustFail: []Rule{{
				Filter: guarantee.ClaimRetention.Label, AtLeast: 6,
				FirstLine: regexp.MustCompile(`^claim retention: claim \S+ has owner ClusterRole/\S+ uid=\S+, which neither StatefulSet \S+ nor the spec gave it`),
				// Judged as soon as the set is deployed.
				Within: t.Deploy() + observeSlack,
			}},
			// Claims kept by Retain are kept with an extra owner too.
			MustPass:   []Rule{{Filter: retainedClaimsSpec, AtLeast: 1}},
			Guarantees: verdicts(report.Failed, guarantee.ClaimRetention).with(report.Verified, guarantee.Storage),
		},
		{
			Name:      "min-ready-dropped",
			ClusterOf: "parallel-mutation",
			Breaks:    "a MutatingAdmissionPolicy rewrites every StatefulSet created in a test namespace to minReadySeconds: 0, so pods count as available as soon as they are Ready",
			// The Parallel spec is the control: it sets no minReadySeconds.
			LabelFilter: anyOf(guarantee.MinReady, guarantee.MaxUnavailable, guarantee.Parallel),
			MustFail: []Rule{{
				Filter: anyOf(guarantee.MinReady, guarantee.MaxUnavailable), AtLeast: 3,
				FirstLine: regexp.MustCompile(`^the cluster changed StatefulSet \S+/\S+ on admission: spec\.minReadySeconds \d+ -> 0`),
				// It is read back right after creation.
				Within: observeSlack,
			}},
			MustPass:   []Rule{{Filter: parallelSpec, AtLeast: 1}},
			Guarantees: verdicts(report.Failed, guarantee.MinReady, guarantee.MaxUnavailable).with(report.Verified, guarantee.Parallel),
			Mutated:    func(s *appsv1.StatefulSet) bool { return s.Spec.MinReadySeconds == 0 },
		},
		{
			Name:      "pod-index-shift",
			ClusterOf: "parallel-mutation",
			Breaks:    "a MutatingAdmissionPolicy shifts the apps.kubernetes.io/pod-index label of every pod created in a test namespace by one, so web-3 is labelled 4",
			// The specs that judge the label, and ordered creation's other
			// specs as controls: the label is all the policy changes.
			LabelFilter: anyOf(guarantee.PodIndexLabel, guarantee.OrderedCreation),
			MustFail: []Rule{{
				Filter: guarantee.PodIndexLabel.Label, AtLeast: 3,
				// Named when the pods are read back after the first rollout,
				// or, for a pod created later, by the checker at the spec's
				// end, once every incarnation is recorded (after a
				// scale-up, a re-created pod or three changes of the start
				// ordinal).
				FirstLine: regexp.MustCompile(`^(the cluster changed pod \S+/\S+ on admission: metadata\.labels\[apps\.kubernetes\.io/pod-index\] \d+ -> \d+|pod index label: \S+ uid=\S+ \(ordinal \d+\) was first seen with label apps\.kubernetes\.io/pod-index="\d+", want "\d+")`),
				Within:    2*t.Deploy() + observeSlack,
			}},
			MustPass: []Rule{{Filter: and(guarantee.OrderedCreation.Label, not(guarantee.PodIndexLabel.Label)), AtLeast: 2}},
			// The other guarantees fail only because their specs judge the
			// label too.
			Guarantees: verdicts(report.Failed, guarantee.PodIndexLabel, guarantee.NetworkIdentity, guarantee.StartOrdinal, guarantee.OrderedCreation),
		},
		{
			Name:      "pod-subdomain-dropped",
			ClusterOf: "parallel-mutation",
			Breaks:    "a MutatingAdmissionPolicy removes spec.subdomain from every StatefulSet pod created in a test namespace, so no pod gets its pod.service DNS name; the StatefulSet is left as it was",
			// The failed pod spec is the control: it resolves no name.
			LabelFilter: guarantee.NetworkIdentity.Label,
			MustFail: []Rule{{
				Filter: guarantee.DNS, AtLeast: 2,
				FirstLine: regexp.MustCompile(`^the cluster changed pod \S+/\S+ on admission: spec\.subdomain \S+ -> \(none\)`),
				// The pods are read back once the set is rolled out.
				Within: t.Deploy() + observeSlack,
			}},
			MustPass:   []Rule{{Filter: failedPodSpec, AtLeast: 1}},
			Guarantees: verdicts(report.Failed, guarantee.NetworkIdentity),
		},
		{
			Name:        "dns-no-cluster-domain",
			Breaks:      "CoreDNS's Corefile has no kubernetes plugin: every name under cluster.local answers NXDOMAIN",
			LabelFilter: anyOf(guarantee.NetworkIdentity, guarantee.Cluster),
			MustFail: []Rule{
				// Deployed (a few seconds a pod), a probe pod, then the first
				// name's DNS wait.
				// The specs that resolve names are labelled DNS (two of
				// NetworkIdentity, the mesh spec of Cluster).
				{Filter: guarantee.DNS, AtLeast: 3, FirstLine: dnsFailed, Within: t.DNS + 2*time.Minute},
			},
			// Controls: storage, and an identity spec that needs no DNS
			// (a rejected pod recreated under its name).
			MustPass:   []Rule{{Filter: claimSpec, AtLeast: 1}, {Filter: failedPodSpec, AtLeast: 1}},
			Guarantees: verdicts(report.Failed, guarantee.NetworkIdentity, guarantee.Cluster),
			Restart:    []string{"kube-system/coredns"},
		},
	}
}
