package statefulset

import (
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// OnDistinctNodes checks that no two of pods are bound to the same node, as
// WithRequiredAntiAffinity demands; its error names each node and the pods
// sharing it. An unscheduled pod is an error too: it proves nothing.
func OnDistinctNodes(pods []corev1.Pod) error {
	byNode := map[string][]string{}
	var unscheduled []string
	for _, p := range pods {
		if p.Spec.NodeName == "" {
			unscheduled = append(unscheduled, p.Name)
			continue
		}
		byNode[p.Spec.NodeName] = append(byNode[p.Spec.NodeName], p.Name)
	}
	var shared []string
	for node, names := range byNode {
		if len(names) > 1 {
			sort.Strings(names)
			shared = append(shared, fmt.Sprintf("%s on %s", strings.Join(names, " and "), node))
		}
	}
	sort.Strings(shared)
	switch {
	case len(shared) > 0:
		return fmt.Errorf("pods share a node despite required anti-affinity: %s", strings.Join(shared, "; "))
	case len(unscheduled) > 0:
		return fmt.Errorf("pods not scheduled, so their spread is unknown: %s", strings.Join(unscheduled, ", "))
	}
	return nil
}
