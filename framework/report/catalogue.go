package report

// Guarantee is one documented StatefulSet behaviour the suite proves. Specs
// name the guarantees they prove with Ginkgo labels equal to Label.
type Guarantee struct {
	Label string `json:"label"`
	Title string `json:"title"`
	// Statement is what the Kubernetes documentation promises, in one
	// sentence, so that a verdict can be read without the suite's source.
	Statement string `json:"statement"`
	// Doc is the documentation page that makes the promise.
	Doc string `json:"doc"`
}

const statefulSetDoc = "https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/"

// catalogue is in the order the report presents the guarantees: the
// StatefulSet page's own order first, then what depends on other pages,
// then the cluster preconditions everything else rests on.
var catalogue = []Guarantee{
	{
		Label: "OrderedCreation", Title: "Ordered creation",
		Statement: "Pods are created sequentially, in order from 0 to N-1, and before a scaling operation is applied to a Pod all of its predecessors must be Running and Ready.",
		Doc:       statefulSetDoc + "#deployment-and-scaling-guarantees",
	},
	{
		Label: "OrderedTeardown", Title: "Ordered teardown",
		Statement: "On scale-down Pods are terminated in reverse order, from N-1 to 0, each only after all of its successors are completely shut down; deleting a StatefulSet guarantees no order and keeps its volumes.",
		Doc:       statefulSetDoc + "#deployment-and-scaling-guarantees",
	},
	{
		Label: "NetworkIdentity", Title: "Stable network identity",
		Statement: "Each Pod's hostname is $(statefulset name)-$(ordinal) and, with a headless Service, its DNS name $(podname).$(service).$(namespace).svc.cluster.local follows it when it is rescheduled, though its IP may change.",
		Doc:       statefulSetDoc + "#stable-network-id",
	},
	{
		Label: "Storage", Title: "Stable storage",
		Statement: "Each Pod gets the PersistentVolumeClaim of its ordinal back when it is rescheduled or its StatefulSet re-created; claims are removed only as the retention policy says.",
		Doc:       statefulSetDoc + "#stable-storage",
	},
	{
		Label: "RollingUpdate", Title: "Rolling update",
		Statement: "A RollingUpdate replaces Pods from the largest ordinal to the smallest, one at a time, each after its successor is Running and Ready, and leaves ordinals below the partition on the old revision.",
		Doc:       statefulSetDoc + "#rolling-updates",
	},
	{
		Label: "Parallel", Title: "Parallel pod management",
		Statement: "With podManagementPolicy Parallel the controller launches and terminates Pods in parallel, without waiting for predecessors to become Running and Ready.",
		Doc:       statefulSetDoc + "#parallel-pod-management",
	},
	{
		Label: "PDB", Title: "Disruption budget on drain",
		Statement: "The Eviction API refuses an eviction that would violate a PodDisruptionBudget with 429 Too Many Requests, so a drain waits until the budget allows it.",
		Doc:       "https://kubernetes.io/docs/concepts/scheduling-eviction/api-eviction/",
	},
	{
		Label: "NodeFailure", Title: "Node failure",
		Statement: "A StatefulSet Pod on an unreachable node is not replaced while the node may still run it; once the node is tainted node.kubernetes.io/out-of-service it is recreated elsewhere with its identity and claim.",
		Doc:       "https://kubernetes.io/docs/concepts/cluster-administration/node-shutdown/#non-graceful-node-shutdown",
	},
	{
		Label: "Ensemble", Title: "Quorum ensemble",
		Statement: "Ensemble members get stable, unique ids from their ordinals and reach their peers by stable DNS names, and both survive deleting and re-creating the ensemble.",
		Doc:       "https://kubernetes.io/docs/tutorials/stateful-application/zookeeper/",
	},
	{
		Label: "API", Title: "StatefulSet API",
		Statement: "The apps/v1 StatefulSet API serves the scale subresource (spec.replicas read and written through it, and the set follows), the status subresource (read, updated and patched without changing the spec, visible to later reads) and collection operations (list by label, patch, delete a collection).",
		Doc:       "https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/stateful-set-v1/",
	},
	{
		Label: "Cluster", Title: "Test cluster preconditions",
		Statement: "Pods resolve pod.service DNS names of Pods on every other node and reach them, and each storage class binds and writes a claim.",
		Doc:       "https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/",
	},
}

// Catalogue returns the guarantees the report judges, in report order. It
// is a copy: the table is the package's contract with the suite's labels.
func Catalogue() []Guarantee {
	return append([]Guarantee(nil), catalogue...)
}
