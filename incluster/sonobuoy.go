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
	Config sonobuoyConfig   `json:"sonobuoy-config"`
	Spec   corev1.Container `json:"spec"`
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
	return yaml.Marshal(p)
}
