package cluster

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	kindv1alpha4 "sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
)

// gateName is what Kubernetes accepts as a feature gate's name.
var gateName = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)

// ParseFeatureGates reads feature gates as the components' --feature-gates
// flag writes them, "Name=true,Other=false" (empty: none), so that `make
// e2e FEATURE_GATES=...` turns on on a new cluster the gates of the
// behaviours the suite certifies only behind them (the Recreate strategy,
// maxUnavailable before v1.37).
func ParseFeatureGates(s string) (map[string]bool, error) {
	gates := map[string]bool{}
	if strings.TrimSpace(s) == "" {
		return gates, nil
	}
	for _, kv := range strings.Split(s, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if !ok || !gateName.MatchString(name) {
			return nil, fmt.Errorf("feature gate %q: want Name=true or Name=false, Name in UpperCamelCase", kv)
		}
		on, err := strconv.ParseBool(value)
		if err != nil {
			return nil, fmt.Errorf("feature gate %s: value %q is not true or false", name, value)
		}
		if _, dup := gates[name]; dup {
			return nil, fmt.Errorf("feature gate %s given twice", name)
		}
		gates[name] = on
	}
	return gates, nil
}

// FormatFeatureGates writes gates as ParseFeatureGates reads them, sorted.
func FormatFeatureGates(gates map[string]bool) string {
	var parts []string
	for _, name := range slices.Sorted(maps.Keys(gates)) {
		parts = append(parts, fmt.Sprintf("%s=%t", name, gates[name]))
	}
	return strings.Join(parts, ",")
}

// applyFeatureGates sets gates in a parsed kind config, over its own:
// kind passes them to every component (API server, controller manager,
// scheduler, kubelet), so the gate the suite reads from the cluster is the
// one asked for.
func applyFeatureGates(c *kindv1alpha4.Cluster, gates map[string]bool) {
	if len(gates) == 0 {
		return
	}
	if c.FeatureGates == nil {
		c.FeatureGates = map[string]bool{}
	}
	maps.Copy(c.FeatureGates, gates)
}
