package guarantee

import "slices"

// Guarantee is one documented StatefulSet behaviour the suite proves,
// declared once: specs carry its Label (Ginkgo), and the report's
// catalogue, verify's checker names and the selftest's rules are derived
// from the declarations below. A unit test walks the suite's source and
// fails when a spec carries an undeclared label or a declared guarantee
// has no spec (framework/spectree).
//
// Adding one: docs/adding-a-guarantee.md.
type Guarantee struct {
	// Label is the Ginkgo label of its specs. The variable a guarantee is
	// declared in has the same name, which is how the walk of the suite's
	// source resolves guarantee.X.Label.
	Label string
	Title string
	// Statement is what the Kubernetes documentation promises, in one
	// sentence, so that a verdict can be read without the suite's source.
	Statement string
	// Doc is the documentation page that makes the promise.
	Doc string
	// KnownIssues are upstream bugs that break the guarantee in released
	// Kubernetes: a spec that reproduces one is not verified, naming it,
	// rather than failed (knownissue.go).
	KnownIssues []KnownIssue
	// Checkers judge the recorded timelines of its specs: each check a
	// spec makes is recorded with the timeline and judged again by
	// `stsconform verify` and the report. Specs of other guarantees may
	// use them too (the API spec judges its scale-up by ordered creation).
	Checkers []*Checker
}

const statefulSetDoc = "https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/"

// The guarantees, in the order the report presents them: the StatefulSet
// page's own order first, then what depends on other pages, then the
// cluster preconditions everything else rests on (see declared).
var (
	OrderedCreation = Guarantee{
		Label: "OrderedCreation", Title: "Ordered creation",
		Statement: "Pods are created sequentially, in order from 0 to N-1, and before a scaling operation is applied to a Pod all of its predecessors must be Running and Ready.",
		Doc:       statefulSetDoc + "#deployment-and-scaling-guarantees",
		Checkers:  []*Checker{orderedCreation, heldBlocks},
	}
	OrderedTeardown = Guarantee{
		Label: "OrderedTeardown", Title: "Ordered teardown",
		Statement: "On scale-down Pods are terminated in reverse order, from N-1 to 0, each only after all of its successors are completely shut down; deleting a StatefulSet guarantees no order and keeps its volumes.",
		Doc:       statefulSetDoc + "#deployment-and-scaling-guarantees",
		Checkers:  []*Checker{orderedTermination, scaleDownHalt},
	}
	NetworkIdentity = Guarantee{
		Label: "NetworkIdentity", Title: "Stable network identity",
		Statement: "Each Pod's hostname is $(statefulset name)-$(ordinal) and, with a headless Service, its DNS name $(podname).$(service).$(namespace).svc.cluster.local follows it when it is rescheduled, though its IP may change.",
		Doc:       statefulSetDoc + "#stable-network-id",
		Checkers:  []*Checker{failedReplaced},
	}
	PodIndexLabel = Guarantee{
		Label: "PodIndexLabel", Title: "Pod index label",
		Statement: "When the StatefulSet controller creates a Pod, the new Pod is labelled with apps.kubernetes.io/pod-index, whose value is the ordinal index of the Pod.",
		Doc:       statefulSetDoc + "#pod-index-label",
		Checkers:  []*Checker{podIndexLabelled},
	}
	StartOrdinal = Guarantee{
		Label: "StartOrdinal", Title: "Start ordinal",
		Statement: "If .spec.ordinals.start is set, Pods are assigned ordinals from .spec.ordinals.start up through .spec.ordinals.start + .spec.replicas - 1, created in order from the start; changing it replaces the Pods outside the new range.",
		Doc:       statefulSetDoc + "#start-ordinal",
		Checkers:  []*Checker{startOrdinal},
	}
	Storage = Guarantee{
		Label: "Storage", Title: "Stable storage",
		Statement: "Each Pod gets the PersistentVolumeClaim of its ordinal back when it is rescheduled or its StatefulSet re-created; claims are removed only as the retention policy says.",
		Doc:       statefulSetDoc + "#stable-storage",
	}
	ClaimRetention = Guarantee{
		Label: "ClaimRetention", Title: "Claim retention policy",
		Statement: "With persistentVolumeClaimRetentionPolicy Delete a claim of the volumeClaimTemplate is deleted after its Pod has been deleted: every claim when the StatefulSet is deleted (whenDeleted), only the claims of the ordinals a scale-down removes (whenScaled); with Retain, or while another object owns the claim, it is kept.",
		Doc:       statefulSetDoc + "#persistentvolumeclaim-retention",
		Checkers:  []*Checker{claimRetention},
	}
	Adoption = Guarantee{
		Label: "Adoption", Title: "Adoption and release",
		Statement: "A StatefulSet becomes the controller of an orphan Pod that matches its selector, and releases a Pod whose labels stop matching it, without deleting either.",
		Doc:       "https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/#how-a-replicaset-works",
		Checkers:  []*Checker{adoption},
	}
	RollingUpdate = Guarantee{
		Label: "RollingUpdate", Title: "Rolling update",
		Statement: "A RollingUpdate replaces Pods from the largest ordinal to the smallest, one at a time, each after its successor is Running and Ready, and leaves ordinals below the partition on the old revision.",
		Doc:       statefulSetDoc + "#rolling-updates",
		Checkers:  []*Checker{rollingUpdate, partitionHeld, onDeleteHeld},
	}
	PartitionScaleToZero = Guarantee{
		Label: "PartitionScaleToZero", Title: "Partition across a scale to zero",
		Statement:   "All Pods with an ordinal that is less than the partition will not be updated, and, even if they are deleted, they will be recreated at the previous version: also when the StatefulSet is scaled to 0, deleting them all, and back.",
		Doc:         statefulSetDoc + "#partitions",
		KnownIssues: []KnownIssue{PartitionLostAtZero},
	}
	Parallel = Guarantee{
		Label: "Parallel", Title: "Parallel pod management",
		Statement: "With podManagementPolicy Parallel the controller launches and terminates Pods in parallel, without waiting for predecessors to become Running and Ready.",
		Doc:       statefulSetDoc + "#parallel-pod-management",
		Checkers:  []*Checker{parallelTermination},
	}
	MinReady = Guarantee{
		Label: "MinReady", Title: "minReadySeconds",
		Statement: "A Pod counts as available only once it has been Running and Ready for minReadySeconds: status.availableReplicas never counts it before and counts it after, and OrderedReady scaling waits for each Pod to be available.",
		Doc:       statefulSetDoc + "#minimum-ready-seconds",
		Checkers:  []*Checker{availableAfterMinReady},
	}
	MaxUnavailable = Guarantee{
		Label: "MaxUnavailable", Title: "Maximum unavailable Pods",
		Statement: "With the MaxUnavailableStatefulSet gate, a RollingUpdate keeps at most maxUnavailable of the Pods 0..replicas-1 unavailable at any time; with the gate off the field is ignored and Pods are updated one at a time.",
		Doc:       statefulSetDoc + "#maximum-unavailable-pods",
		Checkers:  []*Checker{maxUnavailable},
	}
	Recreate = Guarantee{
		Label: "Recreate", Title: "Recreate update strategy",
		Statement: "With the StatefulSetRecreateStrategy gate, the Recreate update strategy deletes every existing Pod and waits until all are fully terminated before creating any Pod of the new revision, then creates them following podManagementPolicy, keeping their claims.",
		Doc:       "https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/stateful-set-v1/#StatefulSetSpec",
		Checkers:  []*Checker{recreate},
	}
	StatusCounters = Guarantee{
		Label: "StatusCounters", Title: "Status counters",
		Statement: "status.replicas counts the Pods created by the StatefulSet controller, readyReplicas those with a Ready condition, and currentReplicas and updatedReplicas those created from currentRevision and updateRevision, also while a partition holds Pods back.",
		Doc:       "https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/stateful-set-v1/#StatefulSetStatus",
		Checkers:  []*Checker{statusCounters},
	}
	RevisionHistory = Guarantee{
		Label: "RevisionHistory", Title: "Revision history limit",
		Statement: "revisionHistoryLimit is the maximum number of revisions maintained in the StatefulSet's revision history, which consists of all revisions not represented by a currently applied StatefulSetSpec version; a kept revision can be rolled back to.",
		Doc:       "https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/stateful-set-v1/#StatefulSetSpec",
	}
	PDB = Guarantee{
		Label: "PDB", Title: "Disruption budget on drain",
		Statement: "The Eviction API refuses an eviction that would violate a PodDisruptionBudget with 429 Too Many Requests, so a drain waits until the budget allows it.",
		Doc:       "https://kubernetes.io/docs/concepts/scheduling-eviction/api-eviction/",
	}
	NodeFailure = Guarantee{
		Label: "NodeFailure", Title: "Node failure",
		Statement: "A StatefulSet Pod on an unreachable node is not replaced while the node may still run it; once the node is tainted node.kubernetes.io/out-of-service it is recreated elsewhere with its identity and claim.",
		Doc:       "https://kubernetes.io/docs/concepts/cluster-administration/node-shutdown/#non-graceful-node-shutdown",
	}
	Ensemble = Guarantee{
		Label: "Ensemble", Title: "Quorum ensemble",
		Statement: "Ensemble members get stable, unique ids from their ordinals and reach their peers by stable DNS names, and both survive deleting and re-creating the ensemble.",
		Doc:       "https://kubernetes.io/docs/tutorials/stateful-application/zookeeper/",
	}
	API = Guarantee{
		Label: "API", Title: "StatefulSet API",
		Statement: "The apps/v1 StatefulSet API serves the scale subresource (spec.replicas read and written through it, and the set follows), the status subresource (read, updated and patched without changing the spec, visible to later reads) and collection operations (list by label, patch, delete a collection).",
		Doc:       "https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/stateful-set-v1/",
	}
	Cluster = Guarantee{
		Label: "Cluster", Title: "Test cluster preconditions",
		Statement: "Pods resolve pod.service DNS names of Pods on every other node and reach them, and each storage class binds and writes a claim.",
		Doc:       "https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/",
	}
)

// declared is every guarantee in report order. A guarantee declared above
// but missing here is caught by TestEveryGuaranteeIsDeclaredOnce.
var declared = []Guarantee{OrderedCreation, OrderedTeardown, NetworkIdentity, PodIndexLabel, StartOrdinal, Storage, ClaimRetention, Adoption, RollingUpdate, PartitionScaleToZero, Parallel, MinReady, MaxUnavailable, Recreate, StatusCounters, RevisionHistory, PDB, NodeFailure, Ensemble, API, Cluster}

// All returns the guarantees in report order.
func All() []Guarantee { return slices.Clone(declared) }

// Lookup returns the guarantee with the label.
func Lookup(label string) (Guarantee, bool) {
	for _, g := range declared {
		if g.Label == label {
			return g, true
		}
	}
	return Guarantee{}, false
}

// Labels a spec carries besides its guarantees' own: what kind of spec it
// is, for label filters (`make e2e GINKGO_LABEL_FILTER='Conformance &&
// !Disruptive'`) and the selftest's rules. Ginkgo adds "Serial" to Serial
// specs itself. Each constant's name is its value, as the walk of the
// suite's source expects.
const (
	// Conformance: a spec of a documented guarantee, not of the test
	// cluster's preconditions.
	Conformance = "Conformance"
	// Disruptive: the spec drains or stops nodes; such specs are Serial.
	Disruptive = "Disruptive"
	// Slow: the spec takes minutes (a large scale, a lost node).
	Slow = "Slow"
	// DNS: the spec resolves names through the cluster's DNS.
	DNS = "DNS"
	// Rollback: the rolling update spec that undoes a rollout.
	Rollback = "Rollback"
	// Partition: the rolling update spec that holds pods back with a
	// partition.
	Partition = "Partition"
)

// Tags are the labels above.
var Tags = []string{Conformance, Disruptive, Slow, DNS, Rollback, Partition}
