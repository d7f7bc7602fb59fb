package nodefailure

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/stsconform/stsconform/framework/poll"
)

// NodeWaitInput names a node and bounds a wait on it.
type NodeWaitInput struct {
	Client        kubernetes.Interface
	Node          string
	Timeout, Poll time.Duration
}

// WaitNotReady waits until the node is known and not Ready (NodeNotReady),
// as a stopped node becomes after the controller manager's grace period.
func WaitNotReady(ctx context.Context, in NodeWaitInput) error {
	return waitNode(ctx, in, NodeNotReady, "node still Ready")
}

// WaitSchedulable waits until new pods can land on the node again
// (NodeSchedulable): a restarted or uncordoned node is Ready some seconds
// before the node lifecycle controller lifts its taints, and a spec
// counting schedulable nodes right after saw one short and skipped.
func WaitSchedulable(ctx context.Context, in NodeWaitInput) error {
	return waitNode(ctx, in, NodeSchedulable, "node not schedulable")
}

func waitNode(ctx context.Context, in NodeWaitInput, ok func(*corev1.Node) bool, not string) error {
	var last *corev1.Node
	err := poll.Until(ctx, in.Timeout, in.Poll, func(ctx context.Context) error {
		n, err := in.Client.CoreV1().Nodes().Get(ctx, in.Node, metav1.GetOptions{})
		if err != nil {
			return err
		}
		last = n
		if !ok(n) {
			return errors.New(not)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: %s\n%w", not, DescribeNode(last), err)
	}
	return nil
}

// Restart starts a stopped kind node's container again and waits until it
// is schedulable, so that the next spec finds every node usable.
func Restart(ctx context.Context, in NodeWaitInput) error {
	if err := Start(ctx, in.Node); err != nil {
		return err
	}
	return WaitSchedulable(ctx, in)
}

// Schedulable splits nodes into those the scheduler may place a spec's
// pods on and the others, each named with why not (WhyUnschedulable, or
// its reason in exclude: the in-cluster runner's node takes no workload).
func Schedulable(nodes []corev1.Node, exclude map[string]string) (ok []corev1.Node, left []string) {
	for _, n := range nodes {
		reason := WhyUnschedulable(&n)
		if why, excluded := exclude[n.Name]; reason == "" && excluded {
			reason = why
		}
		if reason != "" {
			left = append(left, n.Name+" ("+reason+")")
			continue
		}
		ok = append(ok, n)
	}
	return ok, left
}

// TooFew is why a spec that needs n schedulable nodes, for why, cannot run
// on a cluster with only ok of them, the others left out as left; "" when
// there are enough.
func TooFew(n int, why string, ok []corev1.Node, left []string) string {
	if len(ok) >= n {
		return ""
	}
	return fmt.Sprintf("needs %d schedulable Ready nodes (%s); the cluster has %d; left out: %s", n, why, len(ok), strings.Join(left, ", "))
}

// Unsupported says why node failure cannot be simulated here: a node is
// lost by stopping a kind node's container (kind), and a pod comes back
// elsewhere with its data only on a StorageClass whose volumes survive a
// node (sharedStorage, the class sharedClass); "" when both hold.
func Unsupported(kind, sharedStorage bool, sharedClass string) string {
	switch {
	case !kind:
		return "node failure is simulated by stopping a kind node's container; this cluster is not a kind cluster this host's Docker can reach"
	case !sharedStorage:
		return fmt.Sprintf("no StorageClass %q whose volumes survive a node (node-local volumes pin the pod to the dead node); pass --shared-storage-class", sharedClass)
	}
	return ""
}

// NotKindNode is why node failure cannot be simulated on a node that is
// not a kind node container.
func NotKindNode(node string) string { return "node " + node + " is not a kind node container" }

// FreeNodes are the names of the nodes that run none of the given pods
// (pod -> node), in order.
func FreeNodes(nodes []corev1.Node, used map[string]string) []string {
	taken := map[string]bool{}
	for _, n := range used {
		taken[n] = true
	}
	var free []string
	for _, n := range nodes {
		if !taken[n.Name] {
			free = append(free, n.Name)
		}
	}
	sort.Strings(free)
	return free
}
