// Package featuregate reads, from a running cluster, the feature gates that
// change what the StatefulSet API and controller do. Gates are facts of the
// cluster, not of a version number: the same minor ships them on or off by
// patch release (MaxUnavailableStatefulSet, v1.35.0-v1.35.3 on, v1.35.4 off)
// and a cluster's flags can turn any of them.
//
// Each component is read where it says so itself:
//   - kube-apiserver: its kubernetes_feature_enabled metric (GET /metrics);
//   - kube-controller-manager: its own metric, through the API server's
//     proxy to its pod where that is allowed, else the --feature-gates flag
//     of its pod, else, when neither component's flags set the gate and
//     both run the same release, the API server's value (both take the
//     default from the same table).
//
// A gate that cannot be read is unknown with the reason.
package featuregate

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// The gates the suite reports, by name.
const (
	MaxUnavailableStatefulSet             = "MaxUnavailableStatefulSet"
	StatefulSetRecreateStrategy           = "StatefulSetRecreateStrategy"
	StatefulSetSemanticRevisionComparison = "StatefulSetSemanticRevisionComparison"
	StaleControllerConsistencyStatefulSet = "StaleControllerConsistencyStatefulSet"
	MutatingAdmissionPolicy               = "MutatingAdmissionPolicy"
	// GA gates that older supported releases still register.
	StatefulSetAutoDeletePVC = "StatefulSetAutoDeletePVC"
	StatefulSetStartOrdinal  = "StatefulSetStartOrdinal"
	PodIndexLabel            = "PodIndexLabel"
)

// StatefulSet is every gate the report states, in that order.
var StatefulSet = []string{
	MaxUnavailableStatefulSet, StatefulSetRecreateStrategy, StatefulSetSemanticRevisionComparison,
	StaleControllerConsistencyStatefulSet, MutatingAdmissionPolicy,
	StatefulSetAutoDeletePVC, StatefulSetStartOrdinal, PodIndexLabel,
}

// metricName is the component-base metric every Kubernetes component
// exports for each gate it registers: 1 enabled, 0 disabled, labelled with
// the gate's name and stage.
const metricName = "kubernetes_feature_enabled"

// Metric is one gate as a component's metric reports it.
type Metric struct {
	Enabled bool
	// Stage is ALPHA, BETA, DEPRECATED or empty (GA).
	Stage string
}

// ParseMetrics reads the kubernetes_feature_enabled samples of a Prometheus
// text exposition. A gate a component does not register has no sample.
func ParseMetrics(text []byte) (map[string]Metric, error) {
	out := map[string]Metric{}
	sc := bufio.NewScanner(bytes.NewReader(text))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		rest, ok := strings.CutPrefix(line, metricName+"{")
		if !ok {
			continue
		}
		labels, value, ok := strings.Cut(rest, "} ")
		if !ok {
			return nil, fmt.Errorf("malformed %s sample %q", metricName, line)
		}
		name, stage := label(labels, "name"), label(labels, "stage")
		if name == "" {
			return nil, fmt.Errorf("%s sample without a name label: %q", metricName, line)
		}
		v, err := strconv.ParseFloat(strings.Fields(value)[0], 64)
		if err != nil {
			return nil, fmt.Errorf("%s sample %q: %w", metricName, line, err)
		}
		out[name] = Metric{Enabled: v == 1, Stage: stage}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no %s samples in the metrics", metricName)
	}
	return out, nil
}

// label is the value of key in a Prometheus label set (name="X",stage="Y");
// gate names and stages need no escapes.
func label(labels, key string) string {
	for _, kv := range strings.Split(labels, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if ok && strings.TrimSpace(k) == key {
			return strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return ""
}

// ParseFlag reads a --feature-gates value: "A=true,B=false".
func ParseFlag(v string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, kv := range strings.Split(v, ",") {
		kv = strings.TrimSpace(kv)
		if kv == "" {
			continue
		}
		k, val, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("--feature-gates %q: %q is not NAME=BOOL", v, kv)
		}
		b, err := strconv.ParseBool(strings.TrimSpace(val))
		if err != nil {
			return nil, fmt.Errorf("--feature-gates %q: %s=%q is not a boolean", v, k, val)
		}
		out[strings.TrimSpace(k)] = b
	}
	return out, nil
}
