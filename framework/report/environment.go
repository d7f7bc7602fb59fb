package report

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/stsconform/stsconform/framework/artifact"
)

// EnvironmentFile is the name of the file, in the artifacts directory, in
// which the suite leaves its Environment for Load.
const EnvironmentFile = "environment.json"

// environmentSchema versions EnvironmentFile; ReadEnvironment refuses a
// newer one rather than silently dropping fields it does not know.
const environmentSchema = 1

// Environment is what the suite knows about the run and the cluster that
// Ginkgo's report does not. Anything the suite could not establish is a
// Setting with Unknown set to the reason: the report never fills a gap.
type Environment struct {
	SchemaVersion int `json:"schemaVersion"`

	// SuiteVersion and SuiteCommit identify the suite build (e.g. from
	// -ldflags); CommandLine is the command exactly as invoked.
	SuiteVersion string   `json:"suiteVersion,omitempty"`
	SuiteCommit  string   `json:"suiteCommit,omitempty"`
	CommandLine  []string `json:"commandLine,omitempty"`
	RunID        string   `json:"runID,omitempty"`

	// ServerVersion is the API server's gitVersion.
	ServerVersion  string         `json:"serverVersion,omitempty"`
	Nodes          []Node         `json:"nodes,omitempty"`
	CNI            Setting        `json:"cni"`
	StorageClasses []StorageClass `json:"storageClasses,omitempty"`
	Cluster        ClusterOrigin  `json:"cluster"`
	// ControllerSettings are kube-controller-manager flags that change what
	// the suite observes (e.g. node-monitor-grace-period), read from its
	// pod's command line.
	ControllerSettings []Setting `json:"controllerSettings,omitempty"`
	// FeatureGates are the StatefulSet-relevant gates in force, read from
	// the cluster (framework/featuregate).
	FeatureGates []FeatureGate `json:"featureGates,omitempty"`
}

// Node is one cluster node as its status reports it.
type Node struct {
	Name                    string   `json:"name"`
	Roles                   []string `json:"roles,omitempty"`
	KubeletVersion          string   `json:"kubeletVersion,omitempty"`
	ContainerRuntimeVersion string   `json:"containerRuntimeVersion,omitempty"`
	OSImage                 string   `json:"osImage,omitempty"`
	KernelVersion           string   `json:"kernelVersion,omitempty"`
}

// StorageClass is one StorageClass the specs may have used.
type StorageClass struct {
	Name              string `json:"name"`
	Provisioner       string `json:"provisioner"`
	Default           bool   `json:"default,omitempty"`
	ReclaimPolicy     string `json:"reclaimPolicy,omitempty"`
	VolumeBindingMode string `json:"volumeBindingMode,omitempty"`
}

// ClusterOrigin says whether the suite made the cluster, and from what.
type ClusterOrigin struct {
	// Created is true when the suite created the cluster (kind); the
	// remaining fields describe that creation and are empty otherwise.
	Created         bool          `json:"created"`
	Name            string        `json:"name,omitempty"`
	NodeImage       Setting       `json:"nodeImage,omitzero"`
	NodeImageDigest Setting       `json:"nodeImageDigest,omitzero"`
	CreateDuration  time.Duration `json:"createDuration,omitempty"`
	// HostCgroup is the cgroup version of the host's Docker and what the
	// suite changed in the kind config for it (failCgroupV1: false on a
	// cgroup v1 host).
	HostCgroup Setting `json:"hostCgroup,omitzero"`
}

// Setting is a named value or, when it could not be read, the reason why.
type Setting struct {
	Name  string `json:"name,omitempty"`
	Value string `json:"value,omitempty"`
	// Unknown is the reason the value could not be established; it is
	// used only when Value is empty.
	Unknown string `json:"unknown,omitempty"`
	// Source says where the value was read, e.g. "kube-controller-manager
	// pod args" or "kind default (flag not set)".
	Source string `json:"source,omitempty"`
}

// String renders the value, or "unknown" with its reason: an empty setting
// still says that nobody recorded it rather than looking like a value.
func (s Setting) String() string {
	if s.Value != "" {
		return s.Value
	}
	if s.Unknown != "" {
		return "unknown (" + s.Unknown + ")"
	}
	return "unknown (not recorded by the suite)"
}

// WriteFile saves the environment as indented JSON, creating parent
// directories, for Load to find next to the other artifacts.
func (e Environment) WriteFile(path string) error {
	e.SchemaVersion = environmentSchema
	data, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding environment: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("writing environment: %w", err)
	}
	if err := artifact.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing environment: %w", err)
	}
	return nil
}

// ReadEnvironment loads an environment saved by WriteFile.
func ReadEnvironment(path string) (Environment, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Environment{}, fmt.Errorf("reading environment: %w", err)
	}
	var e Environment
	if err := json.Unmarshal(data, &e); err != nil {
		return Environment{}, fmt.Errorf("decoding environment %s: %w", path, err)
	}
	if e.SchemaVersion > environmentSchema {
		return Environment{}, fmt.Errorf("environment %s has schemaVersion %d; this build reads up to %d", path, e.SchemaVersion, environmentSchema)
	}
	return e, nil
}

// FeatureGate is one feature gate that changes what the StatefulSet API or
// controller does, as each control-plane component has it: the API server
// decides which fields are stored (a disabled gate's field is dropped), the
// controller manager what the controller does with them.
type FeatureGate struct {
	Name string `json:"name"`
	// Stage is the gate's maturity as a component's metric labels it
	// (ALPHA, BETA, DEPRECATED; empty for GA or when no metric was read).
	Stage             string  `json:"stage,omitempty"`
	APIServer         Setting `json:"kubeAPIServer"`
	ControllerManager Setting `json:"kubeControllerManager"`
}
