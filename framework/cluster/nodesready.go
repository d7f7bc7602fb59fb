package cluster

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	kindcluster "sigs.k8s.io/kind/pkg/cluster"
	"sigs.k8s.io/kind/pkg/cluster/nodes"
	"sigs.k8s.io/kind/pkg/exec"

	"github.com/stsconform/stsconform/framework/kube"
	"github.com/stsconform/stsconform/framework/nodefailure"
)

// NodesState compares the nodes a kind cluster should have (its node
// containers) with those registered in the API.
type NodesState struct {
	Want     []string
	Ready    []string
	NotReady []corev1.Node
	// Missing are node containers with no Node object: their kubelet never
	// registered.
	Missing []string
}

// NewNodesState is the pure comparison.
func NewNodesState(want []string, registered []corev1.Node) NodesState {
	s := NodesState{Want: append([]string(nil), want...)}
	sort.Strings(s.Want)
	byName := map[string]corev1.Node{}
	for _, n := range registered {
		byName[n.Name] = n
	}
	for _, name := range s.Want {
		n, ok := byName[name]
		switch {
		case !ok:
			s.Missing = append(s.Missing, name)
		case nodefailure.NodeReady(&n):
			s.Ready = append(s.Ready, name)
		default:
			s.NotReady = append(s.NotReady, n)
		}
	}
	return s
}

// Done reports whether every wanted node is registered and Ready.
func (s NodesState) Done() bool { return len(s.Want) > 0 && len(s.Ready) == len(s.Want) }

// Count is "N/M nodes Ready".
func (s NodesState) Count() string {
	return fmt.Sprintf("%d/%d nodes Ready", len(s.Ready), len(s.Want))
}

func (s NodesState) notReadyNames() []string {
	var names []string
	for _, n := range s.NotReady {
		names = append(names, n.Name)
	}
	return names
}

// kubeletJournalLines is how much of a missing node's kubelet journal the
// failure shows; journalLineMax cuts the kubelet's longest lines (events
// dumped whole), not the short ones that say why it exited.
const (
	kubeletJournalLines = 20
	journalLineMax      = 400
)

// NodesNotReadyError is the failure of the wait for every node: one line
// naming the missing and NotReady nodes (and the known cause when a
// kubelet journal shows it), then each node's evidence.
func NodesNotReadyError(cluster string, waited time.Duration, s NodesState, journals map[string][]string, lastErr error) error {
	var what []string
	if len(s.Missing) > 0 {
		what = append(what, "never registered: "+strings.Join(s.Missing, ", "))
	}
	if len(s.NotReady) > 0 {
		what = append(what, "NotReady: "+strings.Join(s.notReadyNames(), ", "))
	}
	first := fmt.Sprintf("kind cluster %q: %s after %s (%s)", cluster, s.Count(), waited.Round(time.Second), strings.Join(what, "; "))
	if hint := journalHint(journals); hint != "" {
		first += ": " + hint
	}
	var b strings.Builder
	b.WriteString(first)
	if lastErr != nil {
		fmt.Fprintf(&b, "\nlast error listing nodes: %v", lastErr)
	}
	for _, n := range s.NotReady {
		fmt.Fprintf(&b, "\n%s", nodefailure.DescribeNode(&n))
	}
	for _, name := range s.Missing {
		fmt.Fprintf(&b, "\n%s: journalctl -u kubelet --no-pager -n %d:", name, kubeletJournalLines)
		lines := journals[name]
		if len(lines) == 0 {
			b.WriteString(" <nothing>")
		}
		for _, l := range lines {
			b.WriteString("\n  " + l)
		}
	}
	return fmt.Errorf("%s", b.String())
}

// journalHint names a known cause seen in kubelet journals.
func journalHint(journals map[string][]string) string {
	var nodes []string
	for name, lines := range journals {
		for _, l := range lines {
			if strings.Contains(strings.ToLower(l), "too many open files") {
				nodes = append(nodes, name)
				break
			}
		}
	}
	if len(nodes) == 0 {
		return ""
	}
	sort.Strings(nodes)
	return fmt.Sprintf("kubelet of %s: \"too many open files\": the host's inotify limits are exhausted (other clusters on this host?); run sudo sysctl -w %s",
		strings.Join(nodes, ", "), assignSysctls(KindInotify))
}

// waitNodesReady waits until every node container of the cluster is a
// registered, Ready node, and returns the final state.
func waitNodesReady(ctx context.Context, p *kindcluster.Provider, name, kubeconfig string, timeout, poll time.Duration) (NodesState, error) {
	containers, err := p.ListInternalNodes(name)
	if err != nil {
		return NodesState{}, fmt.Errorf("list nodes of kind cluster %q: %w", name, err)
	}
	byName := map[string]nodes.Node{}
	var want []string
	for _, n := range containers {
		byName[n.String()] = n
		want = append(want, n.String())
	}
	cfg, err := kube.RESTConfig(kubeconfig)
	if err != nil {
		return NodesState{}, fmt.Errorf("kubeconfig %s: %v", kubeconfig, err)
	}
	cfg.Timeout = reachableTimeout
	c, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return NodesState{}, fmt.Errorf("kubeconfig %s: %v", kubeconfig, err)
	}
	start := time.Now()
	state := NewNodesState(want, nil)
	listed := false
	var lastErr error
	err = wait.PollUntilContextTimeout(ctx, poll, timeout, true, func(ctx context.Context) (bool, error) {
		list, err := c.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
		if err != nil {
			// The API server may still be settling: keep the error for
			// the report (not the wait's own deadline), keep waiting.
			if ctx.Err() == nil && !errors.Is(err, context.DeadlineExceeded) && !strings.Contains(err.Error(), "would exceed context deadline") {
				lastErr = err
			}
			return false, nil
		}
		listed, lastErr = true, nil
		state = NewNodesState(want, list.Items)
		return state.Done(), nil
	})
	if err == nil {
		return state, nil
	}
	if ctx.Err() != nil {
		return state, fmt.Errorf("kind cluster %q: %s when interrupted: %w", name, state.Count(), ctx.Err())
	}
	if !listed {
		return state, fmt.Errorf("kind cluster %q: its API server did not list nodes in %s (--timeout-nodes-ready): %v", name, time.Since(start).Round(time.Second), lastErr)
	}
	journals := map[string][]string{}
	for _, m := range state.Missing {
		journals[m] = kubeletJournal(context.WithoutCancel(ctx), byName[m])
	}
	return state, NodesNotReadyError(name, time.Since(start), state, journals, lastErr)
}

// kubeletJournal is the tail of the node's kubelet journal, or the reason
// it could not be read.
func kubeletJournal(ctx context.Context, n nodes.Node) []string {
	if n == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, reachableTimeout)
	defer cancel()
	lines, err := exec.CombinedOutputLines(n.CommandContext(ctx, "journalctl", "-u", "kubelet", "--no-pager", "-n", fmt.Sprint(kubeletJournalLines)))
	for i, l := range lines {
		if len(l) > journalLineMax && !strings.Contains(strings.ToLower(l), "too many open files") {
			lines[i] = l[:journalLineMax] + " ..."
		}
	}
	if err != nil {
		return append(lines, fmt.Sprintf("(journalctl failed: %v)", err))
	}
	return lines
}
