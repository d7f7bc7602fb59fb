package report

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/timeline"
)

// ciArtifacts is where the synthetic runs pretend the suite wrote its
// artifacts: a path on another machine, as in a report downloaded from CI,
// so the outputs must not depend on where the test runs.
const ciArtifacts = "/ci/work/_artifacts"

var runStart = time.Date(2026, 11, 22, 0, 18, 30, 0, time.UTC)

// spec builds an It's report. container is the Describe text and carries
// the labels, as the suite's Describe(..., Label(...)) does.
func spec(container, text string, labels []string, state types.SpecState, opts ...func(*types.SpecReport)) types.SpecReport {
	s := types.SpecReport{
		ContainerHierarchyTexts:  []string{container},
		ContainerHierarchyLabels: [][]string{labels},
		LeafNodeType:             types.NodeTypeIt,
		LeafNodeText:             text,
		State:                    state,
		StartTime:                runStart,
		EndTime:                  runStart.Add(12300 * time.Millisecond),
		RunTime:                  12300 * time.Millisecond,
		NumAttempts:              1,
	}
	if state.Is(types.SpecStateSkipped | types.SpecStatePending) {
		s.EndTime, s.RunTime = s.StartTime, 0
	}
	for _, o := range opts {
		o(&s)
	}
	return s
}

func entry(name string, value any) func(*types.SpecReport) {
	return func(s *types.SpecReport) {
		s.ReportEntries = append(s.ReportEntries, types.ReportEntry{
			Name: name, Value: types.WrapEntryValue(value), Time: runStart,
			Location: types.CodeLocation{FileName: "/src/suites/statefulset/env_test.go", LineNumber: 70},
		})
	}
}

func failure(msg string, line int) func(*types.SpecReport) {
	return func(s *types.SpecReport) {
		s.Failure = types.Failure{
			Message:  msg,
			Location: types.CodeLocation{FileName: "/src/suites/statefulset/spec_test.go", LineNumber: line},
		}
	}
}

func withRunTime(d time.Duration) func(*types.SpecReport) {
	return func(s *types.SpecReport) { s.RunTime, s.EndTime = d, s.StartTime.Add(d) }
}

func ginkgoReport(labelFilter string, specs ...types.SpecReport) types.Report {
	setup := types.SpecReport{LeafNodeType: types.NodeTypeSynchronizedBeforeSuite, State: types.SpecStatePassed,
		StartTime: runStart, RunTime: 95 * time.Second}
	r := types.Report{
		SuitePath:        "/src/suites/statefulset",
		SuiteDescription: "StatefulSet conformance",
		SuiteSucceeded:   true,
		StartTime:        runStart,
		EndTime:          runStart.Add(7*time.Minute + 12*time.Second),
		RunTime:          7*time.Minute + 12*time.Second,
		SuiteConfig: types.SuiteConfig{
			RandomSeed: 1763770710, LabelFilter: labelFilter, ParallelProcess: 1, ParallelTotal: 2,
			Timeout: time.Hour, GracePeriod: 30 * time.Second,
		},
		SpecReports: append(types.SpecReports{setup}, specs...),
	}
	for _, s := range specs {
		if s.State.Is(types.SpecStateFailureStates) {
			r.SuiteSucceeded = false
		}
	}
	return r
}

func readTimeline(t *testing.T, name string) timeline.Timeline {
	t.Helper()
	tl, err := timeline.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return tl
}

// run is a synthetic run: the Ginkgo report, the environment, and the files
// the suite would have left in the artifacts directory.
type run struct {
	ginkgo types.Report
	env    Environment
	// files maps paths relative to the artifacts directory to a testdata
	// file to copy there (timelines) or literal content.
	copies   map[string]string
	literals map[string]string
}

// materialise writes the run's artifacts directory as the suite and
// Ginkgo's --json-report would have, and returns it.
func (r run) materialise(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	write := func(rel string, data []byte) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for rel, src := range r.copies {
		data, err := os.ReadFile(filepath.Join("testdata", src))
		if err != nil {
			t.Fatal(err)
		}
		write(rel, data)
	}
	for rel, content := range r.literals {
		write(rel, []byte(content))
	}
	data, err := json.Marshal([]types.Report{r.ginkgo})
	if err != nil {
		t.Fatal(err)
	}
	write(GinkgoReportFile, data)
	if err := r.env.WriteFile(filepath.Join(dir, EnvironmentFile)); err != nil {
		t.Fatal(err)
	}
	return dir
}

func kindEnvironment() Environment {
	nodes := []Node{{Name: "stsconform-control-plane", Roles: []string{"control-plane"}}}
	for _, n := range []string{"stsconform-worker", "stsconform-worker2", "stsconform-worker3", "stsconform-worker4"} {
		nodes = append(nodes, Node{Name: n})
	}
	for i := range nodes {
		nodes[i].KubeletVersion = "v1.37.2"
		nodes[i].ContainerRuntimeVersion = "containerd://2.1.5"
		nodes[i].OSImage = "Debian GNU/Linux 12 (bookworm)"
		nodes[i].KernelVersion = "6.12.48"
	}
	return Environment{
		SuiteVersion: "v0.3.0",
		SuiteCommit:  "3bfa9ee0c0ffee5e1f0c6d2a7b8e9f0a1b2c3d4e",
		CommandLine: []string{"go", "tool", "ginkgo", "-p", "--label-filter=Conformance", "--junit-report=junit.xml",
			"--json-report=report.json", "--output-dir=_artifacts", "./suites/statefulset", "--", "--artifacts=_artifacts"},
		RunID:         "20261122-001830-ab12",
		ServerVersion: "v1.37.2",
		Nodes:         nodes,
		CNI:           Setting{Name: "cni", Value: "kindnet", Source: "DaemonSet kube-system/kindnet"},
		StorageClasses: []StorageClass{
			{Name: "standard", Provisioner: "rancher.io/local-path", Default: true, ReclaimPolicy: "Delete", VolumeBindingMode: "WaitForFirstConsumer"},
			{Name: "stsconform-shared", Provisioner: "rancher.io/local-path", ReclaimPolicy: "Delete", VolumeBindingMode: "WaitForFirstConsumer"},
		},
		Cluster: ClusterOrigin{
			Created: true, Name: "stsconform",
			NodeImage:       Setting{Value: "localhost/stsconform/node:v1.37.2"},
			NodeImageDigest: Setting{Value: "sha256:5d1c8a0c7b4f6e2d9a3b1c0f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d"},
			CreateDuration:  94 * time.Second,
			HostCgroup:      Setting{Name: "host cgroup", Value: "v1; the suite gave the kubelets failCgroupV1: false", Source: "docker info"},
		},
		ControllerSettings: []Setting{{Name: "node-monitor-grace-period", Value: "20s", Source: "kube-controller-manager pod args"}},
		FeatureGates: []FeatureGate{
			{Name: "MaxUnavailableStatefulSet", Stage: "BETA",
				APIServer:         Setting{Value: "enabled", Source: "kube-apiserver metric kubernetes_feature_enabled"},
				ControllerManager: Setting{Value: "enabled", Source: "kube-controller-manager metric kubernetes_feature_enabled"}},
			{Name: "StatefulSetRecreateStrategy", Stage: "ALPHA",
				APIServer:         Setting{Value: "disabled", Source: "kube-apiserver metric kubernetes_feature_enabled"},
				ControllerManager: Setting{Unknown: "kube-controller-manager metrics not readable (forbidden); its --feature-gates does not set it"}},
		},
	}
}

// The specs of the suite, by guarantee, with their real texts and labels.
const (
	dCreation  = "StatefulSet ordered creation"
	dTeardown  = "StatefulSet ordered teardown"
	dIdentity  = "StatefulSet stable network identity"
	dStorage   = "StatefulSet stable storage"
	dRolling   = "StatefulSet rolling update"
	dParallel  = "StatefulSet parallel pod management"
	dPDB       = "StatefulSet node drain with a PodDisruptionBudget"
	dNode      = "StatefulSet node failure"
	dEnsemble  = "StatefulSet quorum ensemble"
	dAPI       = "StatefulSet API"
	dCluster   = "Test cluster"
	itCreation = "creates pod N+1 only after pod N is Running and Ready"
	itRolling  = "replaces pods from the highest ordinal down, one at a time, each after its successor is Ready"
	itPartRoll = "updates only ordinals at or above the partition, then the rest when the partition is lowered"
)

func labels(l ...string) []string { return append([]string{"Conformance"}, l...) }

func timelineEntry(slug string) func(*types.SpecReport) {
	return entry(EntryTimeline, ciArtifacts+"/timelines/"+slug+"--web.json")
}

// passingSpecs is every guarantee proven, with the recorded timelines of
// the specs that have one in testdata.
func passingSpecs() []types.SpecReport {
	return []types.SpecReport{
		spec(dCreation, itCreation, labels("OrderedCreation"), types.SpecStatePassed, timelineEntry("ordered-creation")),
		spec(dCreation, "scales from 3 to 10 creating each pod after its predecessors are Ready", append(labels("OrderedCreation"), "Slow"), types.SpecStatePassed,
			withRunTime(41*time.Second), entry("observation: most pods not yet Ready at once during OrderedReady scale-up", 1)),
		spec(dTeardown, "scales down highest ordinal first, each pod only after its successors are gone from 5 to 2", labels("OrderedTeardown"), types.SpecStatePassed),
		spec(dTeardown, "deletes the pods and keeps the PersistentVolumeClaims when the StatefulSet is deleted", labels("OrderedTeardown"), types.SpecStatePassed,
			timelineEntry("cascade-delete"),
			entry("observation: termination order on StatefulSet deletion", "observation (no order is documented for StatefulSet deletion): pods began terminating in the order web-2, web-0, web-1; descending=false; at most 3 terminating at once")),
		spec(dIdentity, "gives each pod a hostname and pod.service DNS names that follow it when it is recreated", labels("NetworkIdentity", "PodIndexLabel"), types.SpecStatePassed),
		spec("StatefulSet start ordinal", "numbers pods from .spec.ordinals.start and replaces those outside the range when it is increased, decreased or removed", labels("StartOrdinal", "PodIndexLabel"), types.SpecStatePassed),
		spec(dStorage, "gives each ordinal back its data after the StatefulSet is deleted and re-created", labels("Storage"), types.SpecStatePassed),
		spec("StatefulSet claim retention", "deletes on scale-down exactly the claims of the removed ordinals", labels("ClaimRetention"), types.SpecStatePassed),
		spec("StatefulSet adoption", "adopts a matching orphan and releases a pod whose labels stop matching", labels("Adoption"), types.SpecStatePassed),
		spec("StatefulSet minReadySeconds", "counts a pod available only after minReadySeconds", labels("MinReady"), types.SpecStatePassed),
		spec("StatefulSet maxUnavailable", "keeps at most maxUnavailable pods unavailable during a rolling update", labels("MaxUnavailable"), types.SpecStatePassed),
		spec("StatefulSet revision history", "keeps only the newest revisions beyond those in use", labels("RevisionHistory"), types.SpecStatePassed),
		spec("StatefulSet Recreate update strategy", "deletes every pod and waits until all are gone before creating any", labels("Recreate"), types.SpecStatePassed),
		spec("StatefulSet partition across a scale to zero", "recreates the pods below the partition on the old revision after a scale to 0 and back", labels("PartitionScaleToZero", "Partition"), types.SpecStatePassed),
		spec("StatefulSet status counters", "counts the recorded pods in every status it writes during a partitioned update", labels("StatusCounters"), types.SpecStatePassed),
		spec(dRolling, itRolling, labels("RollingUpdate"), types.SpecStatePassed, timelineEntry("rolling"),
			entry(EntryRevisions, []string{"revision 1 web-5869f5d8fb", "revision 2 web-7d4b9c6f5d"})),
		spec(dParallel, "creates every pod without waiting for its predecessors to be Ready", labels("Parallel"), types.SpecStatePassed,
			timelineEntry("parallel"), entry("observation: most pods not yet Ready at once with Parallel", 3)),
		spec(dPDB, "blocks the drain while the budget is exhausted and completes it once the budget allows", labels("Disruptive", "PDB"), types.SpecStatePassed,
			entry("observation: blocked drain error", "error when evicting pods/\"web-2\" -n \"pdb-drain-8xk2q\" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.")),
		spec(dNode, "recreates a lost node's pod elsewhere with its identity and its data", labels("Disruptive", "Slow", "NodeFailure"), types.SpecStatePassed,
			withRunTime(118*time.Second), entry("observation: web-2 moved", "stsconform-worker4 (10.244.3.5) -> stsconform-worker2 (10.244.1.9)")),
		spec(dEnsemble, "gives members stable ids and stable peer names that survive re-creation", labels("Ensemble"), types.SpecStatePassed),
		spec(dAPI, "serves the status subresource: read, updated and patched, never changing the spec", labels("API"), types.SpecStatePassed),
		spec(dCluster, "resolves pod.service names and reaches a pod on every other node, from every node", []string{"Cluster"}, types.SpecStatePassed),
	}
}

var passingCopies = map[string]string{
	"timelines/ordered-creation--web.json": "ordered-creation.json",
	"timelines/cascade-delete--web.json":   "cascading-delete.json",
	"timelines/rolling--web.json":          "rolling-update-synthetic.json",
	"timelines/parallel--web.json":         "parallel-creation.json",
}

// junitXML stands for Ginkgo's JUnit report, which Load requires whole.
const junitXML = "<testsuites/>\n"

func passingRun() run {
	return run{ginkgo: ginkgoReport("Conformance || Cluster", passingSpecs()...), env: kindEnvironment(), copies: passingCopies,
		literals: map[string]string{"junit.xml": junitXML}}
}

// partitionViolations is what guarantee.RollingUpdate says about the
// synthetic rolling update when the spec expected partition 1: web-0 must
// not have been updated. Real checker output, not a hand-written message.
func partitionViolations(t *testing.T) guarantee.Violations {
	t.Helper()
	tl := readTimeline(t, "rolling-update-synthetic.json")
	err := guarantee.RollingUpdateInput{Replicas: 3, Partition: 1, OldRevision: "web-5869f5d8fb", NewRevision: "web-7d4b9c6f5d"}.Judge(tl.Since(12))
	var vs guarantee.Violations
	if !errors.As(err, &vs) {
		t.Fatalf("the partition-1 check of the synthetic rolling update should fail with violations, got %v", err)
	}
	return vs
}

// failingRun has a failed and a timed-out guarantee, a skipped one, one
// filtered out by the label filter and one with no spec at all.
func failingRun(t *testing.T) run {
	vs := partitionViolations(t)
	specs := []types.SpecReport{}
	for _, s := range passingSpecs() {
		switch s.Labels()[len(s.Labels())-1] {
		case "PDB":
			s.State, s.RunTime, s.ReportEntries = types.SpecStateSkipped, 0, nil
			s.Failure = types.Failure{Message: "needs 4 schedulable Ready nodes (3 pods with required anti-affinity plus a free node to move to); the cluster has 2",
				Location: types.CodeLocation{FileName: "/src/suites/statefulset/disruption_budget_test.go", LineNumber: 103}}
		case "NodeFailure":
			s.State, s.ReportEntries = types.SpecStateTimedout, nil
			failure("A node timeout occurred\nwaiting 3m0s for a new web-2 Ready; timeline so far:\n  #1 Created web-0 uid=8cede45d rv=3645 <nil>", 71)(&s)
			entry(EntryDiagnostics, ciArtifacts+"/diagnostics/statefulset-node-failure-recreates-a-lost-node-s-pod-elsewhere")(&s)
		case "Ensemble":
			s.State, s.RunTime, s.ReportEntries = types.SpecStateSkipped, 0, nil
		case "Cluster":
			continue
		}
		specs = append(specs, s)
	}
	specs = append(specs, spec(dRolling, itPartRoll, labels("RollingUpdate"), types.SpecStateFailed,
		failure("Expected success, but got an error:\n"+vs.Error(), 74),
		timelineEntry("partition"), entry(EntryViolations, vs),
		entry(EntryDiagnostics, ciArtifacts+"/diagnostics/statefulset-rolling-update-updates-only-ordinals-at-or-above-the-partition")))
	copies := map[string]string{"timelines/partition--web.json": "rolling-update-synthetic.json"}
	for k, v := range passingCopies {
		copies[k] = v
	}
	env := kindEnvironment()
	env.CNI = Setting{Name: "cni", Unknown: "no known CNI DaemonSet in kube-system"}
	env.ControllerSettings = append(env.ControllerSettings, Setting{Name: "terminated-pod-gc-threshold", Unknown: "kube-controller-manager pod not readable: pods is forbidden"})
	return run{
		ginkgo: ginkgoReport("Conformance && !Ensemble", specs...),
		env:    env,
		copies: copies,
		literals: map[string]string{
			"diagnostics/statefulset-node-failure-recreates-a-lost-node-s-pod-elsewhere/events.txt":             "00:25:01 Warning NodeNotReady pod/web-2 Node is not ready\n",
			"diagnostics/statefulset-node-failure-recreates-a-lost-node-s-pod-elsewhere/pods.yaml":              "items: []\n",
			"diagnostics/statefulset-rolling-update-updates-only-ordinals-at-or-above-the-partition/events.txt": "00:31:02 Normal SuccessfulDelete statefulset/web delete Pod web-0\n",
			"junit.xml": junitXML,
		},
	}
}

// violationRun is a run whose ordered-creation spec recorded the timeline
// of a Parallel StatefulSet: the report's own checker must find that web-1
// and web-2 were created before web-0 was Ready.
func violationRun(t *testing.T) run {
	tl := readTimeline(t, "parallel-creation.json")
	verdict := guarantee.OrderedCreationInput{To: 3}.Judge(tl)
	if verdict == nil {
		t.Fatal("parallel-creation.json should violate ordered creation")
	}
	specs := passingSpecs()
	specs[0] = spec(dCreation, itCreation, labels("OrderedCreation"), types.SpecStateFailed,
		failure("Expected success, but got an error:\n"+verdict.Error(), 46),
		timelineEntry("ordered-creation"),
		entry(EntryDiagnostics, ciArtifacts+"/diagnostics/statefulset-ordered-creation-creates-pod-n-1-only-after-pod-n-is-running-and-ready"))
	copies := map[string]string{}
	for k, v := range passingCopies {
		copies[k] = v
	}
	copies["timelines/ordered-creation--web.json"] = "parallel-creation.json"
	return run{
		ginkgo: ginkgoReport("Conformance || Cluster", specs...),
		env:    kindEnvironment(),
		copies: copies,
		literals: map[string]string{
			"diagnostics/statefulset-ordered-creation-creates-pod-n-1-only-after-pod-n-is-running-and-ready/events.txt": "00:21:34 Normal SuccessfulCreate statefulset/web create Pod web-2\n",
			"junit.xml": junitXML,
		},
	}
}
