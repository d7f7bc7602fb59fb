package diagnostics

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func (d *dumper) nodes(ctx context.Context) {
	list, err := d.c.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		d.fail("listing nodes", err)
		return
	}
	d.fail("writing nodes.txt", os.WriteFile(d.path("nodes.txt"), []byte(formatNodes(list.Items)), 0o644))
}

// formatNodes renders each node as
//
//	<name> Ready=<status> (<reason>, since <time>) unschedulable=<bool>
//	  taints: <key=value:effect> ...
//	  addresses: <type>=<address> ...
func formatNodes(nodes []corev1.Node) string {
	var b strings.Builder
	for _, n := range nodes {
		fmt.Fprintf(&b, "%s %s unschedulable=%t\n", n.Name, readyString(n), n.Spec.Unschedulable)
		taints := make([]string, 0, len(n.Spec.Taints))
		for _, t := range n.Spec.Taints {
			s := t.Key
			if t.Value != "" {
				s += "=" + t.Value
			}
			taints = append(taints, s+":"+string(t.Effect))
		}
		fmt.Fprintf(&b, "  taints: %s\n", orNone(taints))
		addrs := make([]string, 0, len(n.Status.Addresses))
		for _, a := range n.Status.Addresses {
			addrs = append(addrs, string(a.Type)+"="+a.Address)
		}
		fmt.Fprintf(&b, "  addresses: %s\n", orNone(addrs))
	}
	return b.String()
}

func readyString(n corev1.Node) string {
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return fmt.Sprintf("Ready=%s (%s, since %s)", c.Status, c.Reason, c.LastTransitionTime.UTC().Format(time.RFC3339))
		}
	}
	return "Ready=<no condition>"
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, " ")
}
