// Package statefulset builds the StatefulSets the suites deploy and acts on
// them (scale, update, delete). It returns errors; assertions live in specs.
package statefulset

import (
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// Container and port of the web server every set runs.
const (
	Container = "web"
	Port      = 8080
	// ReadyFile is what the readiness probe fetches from the web server; a
	// pod without it is unready. Removing it holds a pod unready (Hold),
	// creating it releases the pod (Release): the pause/resume trick that
	// makes the controller's ordering observable. An HTTP probe, not an
	// exec one: the kubelet fetches it itself, where an exec probe each
	// second in every pod made runc exec the largest load of a 2-core
	// host (docs/performance.md).
	ReadyFile = WebRoot + ReadyPath
	// ReadyPath is ReadyFile as the web server serves it from WebRoot.
	ReadyPath = "/ready"
	// WebRoot is the directory the web server serves.
	WebRoot = "/www"
	// DataDir is where volumeClaimTemplates are mounted.
	DataDir = "/data"
	// ClaimTemplate names the volumeClaimTemplate of WithVolumeClaim, and so
	// the pod's volume and the claims <template>-<pod>.
	ClaimTemplate = "data"
)

// Option changes a StatefulSet under construction.
type Option func(*appsv1.StatefulSet)

// New returns a StatefulSet and its headless Service: pods of the web image
// (a busybox httpd serving /version on Port), 3 replicas, OrderedReady, readiness probed every second, a one-second
// grace period (busybox httpd ignores SIGTERM as PID 1; waiting 30s for it
// would only slow every teardown).
func New(namespace, name, image string, opts ...Option) (*appsv1.StatefulSet, *corev1.Service) {
	labels := map[string]string{"app": name}
	set := &appsv1.StatefulSet{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name, Labels: labels},
		Spec: appsv1.StatefulSetSpec{
			Replicas:            ptr.To[int32](3),
			ServiceName:         name,
			PodManagementPolicy: appsv1.OrderedReadyPodManagement,
			Selector:            &metav1.LabelSelector{MatchLabels: labels},
			UpdateStrategy:      appsv1.StatefulSetUpdateStrategy{Type: appsv1.RollingUpdateStatefulSetStrategyType},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					TerminationGracePeriodSeconds: ptr.To[int64](1),
					Containers: []corev1.Container{{
						Name:            Container,
						Image:           image,
						ImagePullPolicy: corev1.PullIfNotPresent,
						// ReadyFile is created at start except in the pods named
						// in $HOLD, so that a pod can be held from its first
						// moment, before it could ever become ready.
						Command: []string{"sh", "-c", `held=; for h in $HOLD; do [ "$h" = "$HOSTNAME" ] && held=1; done; [ -n "$held" ] || touch ` + ReadyFile + `; exec httpd -f -p 8080 -h ` + WebRoot},
						Ports:   []corev1.ContainerPort{{Name: "http", ContainerPort: Port}},
						ReadinessProbe: &corev1.Probe{
							ProbeHandler:     corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: ReadyPath, Port: intstr.FromInt32(Port)}},
							PeriodSeconds:    1,
							FailureThreshold: 1,
							TimeoutSeconds:   2,
						},
					}},
				},
			},
		},
	}
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name, Labels: labels},
		Spec: corev1.ServiceSpec{
			ClusterIP: corev1.ClusterIPNone,
			Selector:  labels,
			Ports:     []corev1.ServicePort{{Name: "http", Port: Port, TargetPort: intstr.FromInt32(Port)}},
		},
	}
	for _, o := range opts {
		o(set)
	}
	return set, svc
}

// WithReplicas sets the replica count.
func WithReplicas(n int32) Option {
	return func(s *appsv1.StatefulSet) { s.Spec.Replicas = ptr.To(n) }
}

// WithStartOrdinal numbers the pods from start (.spec.ordinals.start).
func WithStartOrdinal(start int32) Option {
	return func(s *appsv1.StatefulSet) { s.Spec.Ordinals = &appsv1.StatefulSetOrdinals{Start: start} }
}

// WithOnDelete uses the OnDelete update strategy: pods are replaced only
// when deleted.
func WithOnDelete() Option {
	return func(s *appsv1.StatefulSet) {
		s.Spec.UpdateStrategy = appsv1.StatefulSetUpdateStrategy{Type: appsv1.OnDeleteStatefulSetStrategyType}
	}
}

// WithRecreate uses the Recreate update strategy (KEP-3541, gate
// StatefulSetRecreateStrategy, alpha in v1.37): every old pod deleted and
// gone before any new one is created. An API server with the gate off
// refuses it.
func WithRecreate() Option {
	return func(s *appsv1.StatefulSet) {
		s.Spec.UpdateStrategy = appsv1.StatefulSetUpdateStrategy{Type: appsv1.RecreateStatefulSetStrategyType}
	}
}

// WithParallel uses the Parallel pod management policy.
func WithParallel() Option {
	return func(s *appsv1.StatefulSet) { s.Spec.PodManagementPolicy = appsv1.ParallelPodManagement }
}

// Hold is the command that holds a pod unready, Release the one that
// releases it (see ReadyFile).
func Hold() []string { return []string{"rm", "-f", ReadyFile} }

// Release makes a held pod ready again (see ReadyFile).
func Release() []string { return []string{"touch", ReadyFile} }

// WithHeld starts the named pods held unready (see ReadyFile).
func WithHeld(pods ...string) Option {
	return func(s *appsv1.StatefulSet) {
		v := ""
		for i, p := range pods {
			if i > 0 {
				v += " "
			}
			v += p
		}
		setEnv(&s.Spec.Template.Spec.Containers[0], "HOLD", v)
	}
}

// FailContainer is the second container WithFailingOnTerm adds.
const FailContainer = "exit-on-term"

// WithFailingOnTerm adds upstream's "failing container" (its partition
// specs' sleep-exit-with-1): a second container, of the web container's
// image, that exits 1 on SIGTERM in the named pods and 0 in the others, so
// a deleted pod of that name ends Failed. It waits on a background sleep,
// because a shell runs its trap only once the foreground command is done.
func WithFailingOnTerm(pods ...string) Option {
	return func(s *appsv1.StatefulSet) {
		web := s.Spec.Template.Spec.Containers[0]
		c := corev1.Container{
			Name: FailContainer, Image: web.Image, ImagePullPolicy: web.ImagePullPolicy,
			Command: []string{"sh", "-c", `trap 'for f in $FAIL; do [ "$f" = "$HOSTNAME" ] && exit 1; done; exit 0' TERM; echo "trapping SIGTERM in $HOSTNAME"; while true; do sleep 1 & wait $!; done`},
		}
		setEnv(&c, "FAIL", strings.Join(pods, " "))
		s.Spec.Template.Spec.Containers = append(s.Spec.Template.Spec.Containers, c)
	}
}

// WithVolumeClaim adds the volumeClaimTemplate ClaimTemplate mounted at DataDir.
// An empty storage class means the cluster default.
func WithVolumeClaim(size, storageClass string) Option {
	return func(s *appsv1.StatefulSet) {
		pvc := corev1.PersistentVolumeClaim{
			ObjectMeta: metav1.ObjectMeta{Name: ClaimTemplate},
			Spec: corev1.PersistentVolumeClaimSpec{
				AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
				Resources:   corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse(size)}},
			},
		}
		if storageClass != "" {
			pvc.Spec.StorageClassName = ptr.To(storageClass)
		}
		s.Spec.VolumeClaimTemplates = append(s.Spec.VolumeClaimTemplates, pvc)
		c := &s.Spec.Template.Spec.Containers[0]
		c.VolumeMounts = append(c.VolumeMounts, corev1.VolumeMount{Name: ClaimTemplate, MountPath: DataDir})
	}
}

// WithRetention sets persistentVolumeClaimRetentionPolicy.
func WithRetention(whenDeleted, whenScaled appsv1.PersistentVolumeClaimRetentionPolicyType) Option {
	return func(s *appsv1.StatefulSet) {
		s.Spec.PersistentVolumeClaimRetentionPolicy = &appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy{
			WhenDeleted: whenDeleted, WhenScaled: whenScaled,
		}
	}
}

// WithRequiredAntiAffinity puts at most one pod of the set on a node.
func WithRequiredAntiAffinity() Option {
	return func(s *appsv1.StatefulSet) {
		s.Spec.Template.Spec.Affinity = &corev1.Affinity{PodAntiAffinity: &corev1.PodAntiAffinity{
			RequiredDuringSchedulingIgnoredDuringExecution: []corev1.PodAffinityTerm{{
				LabelSelector: &metav1.LabelSelector{MatchLabels: s.Spec.Selector.MatchLabels},
				TopologyKey:   corev1.LabelHostname,
			}},
		}}
	}
}

// WithoutNode keeps the set's pods off node (by name, which unlike the
// hostname label is the same on every cloud): an in-cluster run keeps its
// workloads off the runner's node, so that no spec drains, cordons or
// stops the node the run lives on. Other affinity is kept.
func WithoutNode(node string) Option {
	return withNodeField(corev1.NodeSelectorOpNotIn, node)
}

// WithOnlyNode has the scheduler place the set's pods on node alone (by
// name, as WithoutNode): unlike WithNodeName the scheduler still decides,
// so a cordoned node keeps a new pod Pending. Other affinity is kept.
func WithOnlyNode(node string) Option {
	return withNodeField(corev1.NodeSelectorOpIn, node)
}

// withNodeField adds a required node affinity on the node's name to every
// term of the pods' node affinity.
func withNodeField(op corev1.NodeSelectorOperator, node string) Option {
	return func(s *appsv1.StatefulSet) {
		spec := &s.Spec.Template.Spec
		if spec.Affinity == nil {
			spec.Affinity = &corev1.Affinity{}
		}
		if spec.Affinity.NodeAffinity == nil {
			spec.Affinity.NodeAffinity = &corev1.NodeAffinity{}
		}
		na := spec.Affinity.NodeAffinity
		if na.RequiredDuringSchedulingIgnoredDuringExecution == nil {
			na.RequiredDuringSchedulingIgnoredDuringExecution = &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{{}}}
		}
		// Terms are ORed: the requirement must be in every one of them.
		terms := na.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms
		for i := range terms {
			terms[i].MatchFields = append(terms[i].MatchFields, corev1.NodeSelectorRequirement{
				Key: "metadata.name", Operator: op, Values: []string{node},
			})
		}
	}
}

// WithNodeName pins every pod to one node, past the scheduler: the kubelet
// alone decides whether to admit it.
func WithNodeName(node string) Option {
	return func(s *appsv1.StatefulSet) { s.Spec.Template.Spec.NodeName = node }
}

// WithHostPort has the web container ask for a host port, which one pod
// per node at most can hold.
func WithHostPort(port int32) Option {
	return func(s *appsv1.StatefulSet) {
		c := &s.Spec.Template.Spec.Containers[0]
		c.Ports = append(c.Ports, corev1.ContainerPort{Name: "host", ContainerPort: port, HostPort: port})
	}
}

// WithPartition sets the rolling update partition.
func WithPartition(k int32) Option {
	return func(s *appsv1.StatefulSet) {
		s.Spec.UpdateStrategy.RollingUpdate = &appsv1.RollingUpdateStatefulSetStrategy{Partition: ptr.To(k)}
	}
}

func setEnv(c *corev1.Container, name, value string) {
	for i := range c.Env {
		if c.Env[i].Name == name {
			c.Env[i].Value = value
			return
		}
	}
	c.Env = append(c.Env, corev1.EnvVar{Name: name, Value: value})
}

// PinnedPod is a pod of the web image pinned to a node past the scheduler
// and tolerating every taint, named <name>.<subdomain> in DNS: the test
// cluster's mesh of one pod per node, or a pod holding a host port on one.
// Its readiness is the web server answering.
func PinnedPod(namespace, name, subdomain, node, image string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name, Labels: map[string]string{"app": subdomain}},
		Spec: corev1.PodSpec{
			NodeName: node, Hostname: name, Subdomain: subdomain,
			TerminationGracePeriodSeconds: ptr.To[int64](1),
			Tolerations:                   []corev1.Toleration{{Operator: corev1.TolerationOpExists}},
			Containers: []corev1.Container{{
				Name: Container, Image: image, ImagePullPolicy: corev1.PullIfNotPresent,
				Ports: []corev1.ContainerPort{{ContainerPort: Port}},
				ReadinessProbe: &corev1.Probe{
					ProbeHandler:  corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/version", Port: intstr.FromInt32(Port)}},
					PeriodSeconds: 1,
				},
			}},
		},
	}
}

// PodName is the name of the pod with the given ordinal.
func PodName(set string, ordinal int) string { return fmt.Sprintf("%s-%d", set, ordinal) }

// PodNames are the names of ordinals 0..replicas-1.
func PodNames(set string, replicas int) []string {
	out := make([]string, replicas)
	for i := range out {
		out[i] = PodName(set, i)
	}
	return out
}
