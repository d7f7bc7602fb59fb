package nodefailure

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func node(name string, ready bool, change ...func(*corev1.Node)) *corev1.Node {
	status := corev1.ConditionFalse
	if ready {
		status = corev1.ConditionTrue
	}
	n := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name}, Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: status}}}}
	for _, c := range change {
		c(n)
	}
	return n
}

func cordoned(n *corev1.Node) { n.Spec.Unschedulable = true }

func TestWaitNotReadyAndSchedulable(t *testing.T) {
	in := NodeWaitInput{Client: fake.NewClientset(node("kind-worker", true)), Node: "kind-worker", Timeout: 30 * time.Millisecond, Poll: 5 * time.Millisecond}
	if err := WaitNotReady(context.Background(), in); err == nil || !strings.HasPrefix(err.Error(), "node still Ready: kind-worker: Ready=True") {
		t.Errorf("a Ready node = %v", err)
	}
	if err := WaitSchedulable(context.Background(), in); err != nil {
		t.Errorf("a schedulable node = %v", err)
	}
	in.Client = fake.NewClientset(node("kind-worker", true, cordoned))
	if err := WaitSchedulable(context.Background(), in); err == nil || !strings.HasPrefix(err.Error(), "node not schedulable: kind-worker: Ready=True") || !strings.Contains(err.Error(), "cordoned") {
		t.Errorf("a cordoned node = %v", err)
	}
	in.Client = fake.NewClientset(node("kind-worker", false))
	if err := WaitNotReady(context.Background(), in); err != nil {
		t.Errorf("a NotReady node = %v", err)
	}
}

func TestSchedulable(t *testing.T) {
	nodes := []corev1.Node{*node("a", true), *node("b", false), *node("c", true, cordoned), *node("d", true)}
	ok, left := Schedulable(nodes, map[string]string{"d": "the in-cluster runner's node"})
	if len(ok) != 1 || ok[0].Name != "a" || !slices.Equal(left, []string{"b (not Ready)", "c (cordoned)", "d (the in-cluster runner's node)"}) {
		t.Errorf("Schedulable = %v, %v", ok, left)
	}
	if got := TooFew(2, "a pod and a free node", ok, left); got != "needs 2 schedulable Ready nodes (a pod and a free node); the cluster has 1; left out: b (not Ready), c (cordoned), d (the in-cluster runner's node)" {
		t.Errorf("TooFew = %q", got)
	}
	if got := TooFew(1, "x", ok, left); got != "" {
		t.Errorf("enough nodes: %q", got)
	}
	if got := FreeNodes(nodes, map[string]string{"web-0": "a", "web-1": "c"}); !slices.Equal(got, []string{"b", "d"}) {
		t.Errorf("FreeNodes = %v", got)
	}
}

func TestUnsupported(t *testing.T) {
	if got := Unsupported(false, true, "shared"); !strings.HasPrefix(got, "node failure is simulated by stopping a kind node's container") {
		t.Errorf("not kind: %q", got)
	}
	if got := Unsupported(true, false, "shared"); !strings.HasPrefix(got, `no StorageClass "shared" whose volumes survive a node`) {
		t.Errorf("no shared storage: %q", got)
	}
	if got := Unsupported(true, true, "shared"); got != "" {
		t.Errorf("supported: %q", got)
	}
}
