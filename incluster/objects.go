package incluster

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/yaml"

	"github.com/stsconform/stsconform/fixtures"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/kube"
	"github.com/stsconform/stsconform/framework/progress"
	"github.com/stsconform/stsconform/incluster/layout"
)

// Names of the runner pod's parts.
const (
	RunnerContainer  = "runner"
	ResultsContainer = "results"
	imagesVolume     = "images"
	imagesDir        = "/etc/stsconform"
	imagesKey        = "images.yaml"
	timesKey         = "spec-times.json"
)

// RunnerLabel marks what an in-cluster run creates besides namespaces, so
// that stsconform cleanup finds a killed run's ClusterRole and binding.
const RunnerLabel = "stsconform.io/in-cluster-runner"

// RunnerNamespaceRunID is the run label of the runner's own namespace: not
// the run's id, or the suite's end-of-run cleanup (which deletes its run's
// namespaces) would delete the runner under its own feet.
func RunnerNamespaceRunID(runID string) string { return runID + "-runner" }

// JobInput is one in-cluster run.
type JobInput struct {
	RunID     string
	Namespace string     // the runner's namespace (already created)
	Images    images.Set // every role; Runner is the image the Job runs
	// Env are the conformance image's Variables; E2E_EXTRA_ARGS gets the
	// run id and the image mapping in front of what it holds.
	Env     map[string]string
	Timeout time.Duration // the suite's; the Job's deadline adds its cleanup
	// Progress puts progress lines in the runner's log; Times are the
	// last run's spec times for their estimate (nil: none).
	Progress bool
	Times    progress.Times
	// Placement adds a node selector and tolerations to the runner pod.
	Placement Placement
}

// Objects are what an in-cluster run creates, in creation order.
type Objects struct {
	ServiceAccount *corev1.ServiceAccount
	ClusterRole    *rbacv1.ClusterRole
	Binding        *rbacv1.ClusterRoleBinding
	ImagesMap      *corev1.ConfigMap
	Job            *batchv1.Job
	// created records what Apply made, so that Remove deletes only that:
	// a run refused half-way leaves no error about objects it never had.
	created map[string]bool
}

// RunnerClusterRole reads fixtures/incluster/clusterrole.yaml.
func RunnerClusterRole() (*rbacv1.ClusterRole, error) {
	data, err := fixtures.FS.ReadFile(fixtures.RunnerClusterRole)
	if err != nil {
		return nil, err
	}
	var role rbacv1.ClusterRole
	if err := yaml.UnmarshalStrict(data, &role); err != nil {
		return nil, fmt.Errorf("fixtures/%s: %w", fixtures.RunnerClusterRole, err)
	}
	return &role, nil
}

// BuildObjects renders the run's objects.
func BuildObjects(in JobInput) (*Objects, error) {
	if in.RunID == "" || in.Namespace == "" || in.Images.Ref(images.Runner) == "" {
		return nil, fmt.Errorf("in-cluster run: run id, namespace and runner image are required")
	}
	labels := map[string]string{kube.ManagedByLabel: kube.ManagedBy, kube.RunLabel: in.RunID, RunnerLabel: "true"}
	name := "stsconform-runner-" + strings.ToLower(in.RunID)
	meta := func(namespaced bool) metav1.ObjectMeta {
		m := metav1.ObjectMeta{Name: name, Labels: labels}
		if namespaced {
			m.Namespace = in.Namespace
		}
		return m
	}
	role, err := RunnerClusterRole()
	if err != nil {
		return nil, err
	}
	role.ObjectMeta = meta(false)
	mapping := map[string]string{}
	for r, ref := range in.Images {
		mapping[string(r)] = ref
	}
	data, err := yaml.Marshal(mapping)
	if err != nil {
		return nil, err
	}
	o := &Objects{
		ServiceAccount: &corev1.ServiceAccount{ObjectMeta: meta(true)},
		ClusterRole:    role,
		Binding: &rbacv1.ClusterRoleBinding{
			ObjectMeta: meta(false),
			RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: name},
			Subjects:   []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Namespace: in.Namespace, Name: name}},
		},
		ImagesMap: &corev1.ConfigMap{ObjectMeta: meta(true), Data: map[string]string{imagesKey: string(data)}},
	}
	if in.Times != nil {
		times, err := json.Marshal(in.Times)
		if err != nil {
			return nil, err
		}
		o.ImagesMap.Data[timesKey] = string(times)
	}
	o.Job = job(in, meta(true))
	return o, nil
}

func job(in JobInput, meta metav1.ObjectMeta) *batchv1.Job {
	env := []corev1.EnvVar{
		{Name: kube.EnvNodeName, ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "spec.nodeName"}}},
		{Name: kube.EnvPodName, ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.name"}}},
		{Name: "RESULTS_DIR", Value: layout.ResultsDir},
		{Name: ProgressEnv, Value: string(progress.Never)},
	}
	if in.Progress {
		env[len(env)-1].Value = string(progress.Always)
	}
	if in.Times != nil {
		env = append(env, corev1.EnvVar{Name: ProgressTimesEnv, Value: imagesDir + "/" + timesKey})
	}
	for _, k := range Variables {
		v := in.Env[k]
		if k == "E2E_EXTRA_ARGS" {
			v = strings.TrimSpace(fmt.Sprintf("--run-id=%s --images=%s/%s %s", in.RunID, imagesDir, imagesKey, v))
		}
		if v != "" {
			env = append(env, corev1.EnvVar{Name: k, Value: v})
		}
	}
	results := corev1.VolumeMount{Name: "results", MountPath: layout.ResultsDir}
	image := in.Images.Ref(images.Runner)
	container := func(name string, args []string, mounts ...corev1.VolumeMount) corev1.Container {
		return corev1.Container{
			Name: name, Image: image, ImagePullPolicy: corev1.PullIfNotPresent, Args: args, VolumeMounts: mounts,
			SecurityContext: &corev1.SecurityContext{
				AllowPrivilegeEscalation: ptr.To(false),
				Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
			},
		}
	}
	runner := container(RunnerContainer, nil, results, corev1.VolumeMount{Name: imagesVolume, MountPath: imagesDir, ReadOnly: true})
	runner.Env = env
	grace := int64((InterruptGrace + 30*time.Second).Seconds())
	return &batchv1.Job{
		ObjectMeta: meta,
		Spec: batchv1.JobSpec{
			BackoffLimit: ptr.To(int32(0)),
			// The suite's timeout, its cleanup, and the time the results
			// are held for a collector: a run nobody watches still ends.
			ActiveDeadlineSeconds: ptr.To(int64((in.Timeout + InterruptGrace + HoldGrace).Seconds())),
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: meta.Labels},
				Spec: corev1.PodSpec{
					ServiceAccountName:            meta.Name,
					RestartPolicy:                 corev1.RestartPolicyNever,
					TerminationGracePeriodSeconds: &grace,
					SecurityContext: &corev1.PodSecurityContext{
						RunAsUser: ptr.To(int64(layout.User)), RunAsGroup: ptr.To(int64(layout.User)), RunAsNonRoot: ptr.To(true),
						FSGroup:        ptr.To(int64(layout.User)),
						SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
					},
					Containers: []corev1.Container{
						runner,
						container(ResultsContainer, []string{"hold", "--results-dir=" + layout.ResultsDir, "--grace=" + HoldGrace.String()}, results),
					},
					Volumes: []corev1.Volume{
						{Name: "results", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
						{Name: imagesVolume, VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: meta.Name}}}},
					},
					Affinity:     preferControlPlane(),
					NodeSelector: in.Placement.NodeSelector,
					Tolerations: append([]corev1.Toleration{{Key: controlPlaneLabel, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}},
						in.Placement.Tolerations...),
				},
			},
		},
	}
}

// HoldGrace is how long a finished runner pod keeps its results for a
// collector that does not come.
const HoldGrace = 10 * time.Minute

const controlPlaneLabel = "node-role.kubernetes.io/control-plane"

// preferControlPlane puts the runner on a control-plane node where it may:
// the specs then keep every worker (a runner's node takes no workload, and
// the disruptive specs need four schedulable nodes on kind-config.yaml).
func preferControlPlane() *corev1.Affinity {
	return &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{
		PreferredDuringSchedulingIgnoredDuringExecution: []corev1.PreferredSchedulingTerm{{
			Weight: 100,
			Preference: corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{
				{Key: controlPlaneLabel, Operator: corev1.NodeSelectorOpExists},
			}},
		}},
	}}
}
