package incluster

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// SonobuoyResultsDir is where Sonobuoy mounts a plugin's results and what
// it passes as RESULTS_DIR.
const SonobuoyResultsDir = "/tmp/sonobuoy/results"

// PluginInput configures the Sonobuoy plugin definition.
type PluginInput struct {
	Image string // the runner image, as the cluster pulls it
	// Env are the conformance image's Variables.
	Env map[string]string
	// Placement, when not empty, gives the plugin a podSpec with the node
	// selector and tolerations added to Sonobuoy's own defaults.
	Placement Placement
}

// sonobuoyConfig is the plugin's sonobuoy-config block.
type sonobuoyConfig struct {
	Driver       string   `json:"driver"`
	PluginName   string   `json:"plugin-name"`
	ResultFormat string   `json:"result-format"`
	ResultFiles  []string `json:"result-files,omitempty"`
	Description  string   `json:"description"`
}

type plugin struct {
	Config  sonobuoyConfig   `json:"sonobuoy-config"`
	Spec    corev1.Container `json:"spec"`
	PodSpec *corev1.PodSpec  `json:"podSpec,omitempty"`
}

// sonobuoyJobPodSpec is Sonobuoy's default pod of a Job plugin
// (defaultJobPodSpec in pkg/plugin/driver/base.go, v0.57.x). A plugin's
// podSpec replaces it whole, so a podSpec that only places the pod
// repeats it: the ServiceAccount Sonobuoy binds, its tolerations and its
// Linux node selector.
func sonobuoyJobPodSpec() *corev1.PodSpec {
	return &corev1.PodSpec{
		Containers:         []corev1.Container{},
		RestartPolicy:      corev1.RestartPolicyNever,
		ServiceAccountName: "sonobuoy-serviceaccount",
		Tolerations: []corev1.Toleration{
			{Key: "node-role.kubernetes.io/master", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
			{Key: "CriticalAddonsOnly", Operator: corev1.TolerationOpExists},
			{Key: "kubernetes.io/e2e-evict-taint-key", Operator: corev1.TolerationOpExists},
		},
		NodeSelector: map[string]string{"kubernetes.io/os": "linux"},
	}
}

// SonobuoyPlugin renders a plugin definition for `sonobuoy run --plugin`:
// a Job running the runner image, whose JUnit Sonobuoy parses. Sonobuoy
// sets RESULTS_DIR and mounts the results volume; the runner writes the
// done file there whatever the outcome (see Finish).
func SonobuoyPlugin(in PluginInput) ([]byte, error) {
	if in.Image == "" {
		return nil, fmt.Errorf("sonobuoy plugin: the runner image is required")
	}
	var env []corev1.EnvVar
	for _, k := range Variables {
		if v := strings.TrimSpace(in.Env[k]); v != "" {
			env = append(env, corev1.EnvVar{Name: k, Value: v})
		}
	}
	p := plugin{
		Config: sonobuoyConfig{
			Driver: "Job", PluginName: "stsconform", ResultFormat: "junit", ResultFiles: []string{JUnitFile},
			Description: "StatefulSet conformance (stsconform): the guarantees Kubernetes documents for StatefulSets, proved from recorded events",
		},
		Spec: corev1.Container{
			Name: "plugin", Image: in.Image, ImagePullPolicy: corev1.PullIfNotPresent, Env: env,
			VolumeMounts: []corev1.VolumeMount{{Name: "results", MountPath: SonobuoyResultsDir}},
		},
	}
	if !in.Placement.Empty() {
		p.PodSpec = sonobuoyJobPodSpec()
		for k, v := range in.Placement.NodeSelector {
			p.PodSpec.NodeSelector[k] = v
		}
		p.PodSpec.Tolerations = append(p.PodSpec.Tolerations, in.Placement.Tolerations...)
	}
	return yaml.Marshal(p)
}
