package nodefailure

import (
	"context"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	clienttesting "k8s.io/client-go/testing"
)

var otherTaint = corev1.Taint{Key: "dedicated", Value: "db", Effect: corev1.TaintEffectNoSchedule}

func nodeWithTaints(taints ...corev1.Taint) *corev1.Node {
	return &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "kind-worker"}, Spec: corev1.NodeSpec{Taints: taints}}
}

func taintsOf(t *testing.T, c *fake.Clientset) []corev1.Taint {
	t.Helper()
	n, err := c.CoreV1().Nodes().Get(context.Background(), "kind-worker", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return n.Spec.Taints
}

func countUpdates(c *fake.Clientset) int {
	n := 0
	for _, a := range c.Actions() {
		if a.GetVerb() == "update" && a.GetResource().Resource == "nodes" {
			n++
		}
	}
	return n
}

func TestMarkOutOfServiceIsIdempotentAndKeepsOtherTaints(t *testing.T) {
	c := fake.NewClientset(nodeWithTaints(otherTaint))
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if err := MarkOutOfService(ctx, c, "kind-worker"); err != nil {
			t.Fatal(err)
		}
	}
	taints := taintsOf(t, c)
	if len(taints) != 2 || taints[0] != otherTaint {
		t.Fatalf("taints = %v", taints)
	}
	got := taints[1]
	if got.Key != "node.kubernetes.io/out-of-service" || got.Value != "nodeshutdown" || got.Effect != corev1.TaintEffectNoExecute || got.TimeAdded == nil {
		t.Errorf("out-of-service taint = %+v", got)
	}
	if n := countUpdates(c); n != 1 {
		t.Errorf("%d updates, want 1: the second call must not write", n)
	}
}

func TestClearOutOfService(t *testing.T) {
	// Another value under the same key and effect is still the taint.
	oos := corev1.Taint{Key: corev1.TaintNodeOutOfService, Value: "manual", Effect: corev1.TaintEffectNoExecute}
	c := fake.NewClientset(nodeWithTaints(otherTaint, oos))
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if err := ClearOutOfService(ctx, c, "kind-worker"); err != nil {
			t.Fatal(err)
		}
	}
	if taints := taintsOf(t, c); len(taints) != 1 || taints[0] != otherTaint {
		t.Errorf("taints = %v, want only %v", taints, otherTaint)
	}
	if n := countUpdates(c); n != 1 {
		t.Errorf("%d updates, want 1", n)
	}
}

func TestTaintUpdateRetriesOnConflict(t *testing.T) {
	c := fake.NewClientset(nodeWithTaints())
	conflicts := 2
	c.PrependReactor("update", "nodes", func(clienttesting.Action) (bool, runtime.Object, error) {
		if conflicts > 0 {
			conflicts--
			return true, nil, apierrors.NewConflict(schema.GroupResource{Resource: "nodes"}, "kind-worker", errTest("the object has been modified"))
		}
		return false, nil, nil
	})
	if err := MarkOutOfService(context.Background(), c, "kind-worker"); err != nil {
		t.Fatal(err)
	}
	if taints := taintsOf(t, c); len(taints) != 1 {
		t.Errorf("taints = %v", taints)
	}
	if n := countUpdates(c); n != 3 {
		t.Errorf("%d updates, want 3 (two conflicts, then success)", n)
	}
	gets := 0
	for _, a := range c.Actions() {
		if a.GetVerb() == "get" {
			gets++
		}
	}
	if gets < 3 {
		t.Errorf("%d gets: each retry must re-read the node", gets)
	}
}

func TestTaintErrorNamesNodeAndTaint(t *testing.T) {
	err := MarkOutOfService(context.Background(), fake.NewClientset(), "kind-worker")
	if !apierrors.IsNotFound(err) {
		t.Fatalf("want NotFound, got %v", err)
	}
	for _, want := range []string{"kind-worker", "node.kubernetes.io/out-of-service=nodeshutdown:NoExecute"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
}

type errTest string

func (e errTest) Error() string { return string(e) }
