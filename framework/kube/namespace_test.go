package kube

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func TestDeleteManagedNamespacesOnlyTouchesTheSuites(t *testing.T) {
	ctx := context.Background()
	mk := func(name string, labels map[string]string) *corev1.Namespace {
		return &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}}
	}
	c := fake.NewClientset(
		mk("mine-a", map[string]string{ManagedByLabel: ManagedBy, RunLabel: "r1"}),
		mk("mine-b", map[string]string{ManagedByLabel: ManagedBy, RunLabel: "r2"}),
		mk("users", map[string]string{RunLabel: "r1"}),
		mk("default", nil),
	)
	got, err := DeleteManagedNamespaces(ctx, c, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != "mine-a" {
		t.Fatalf("deleted %v, want only mine-a", got)
	}
	got, _ = DeleteManagedNamespaces(ctx, c, "")
	if len(got) != 1 || got[0] != "mine-b" {
		t.Fatalf("cleanup of any run deleted %v, want only mine-b", got)
	}
	if _, err := c.CoreV1().Namespaces().Get(ctx, "users", metav1.GetOptions{}); err != nil {
		t.Fatal("a namespace without the managed-by label was deleted")
	}
}

func TestCreateNamespaceLabelsTheRun(t *testing.T) {
	c := fake.NewClientset()
	ns, err := CreateNamespace(context.Background(), c, "ordered", "r9")
	if err != nil {
		t.Fatal(err)
	}
	if ns.Labels[RunLabel] != "r9" || ns.Labels[ManagedByLabel] != ManagedBy || ns.GenerateName != "ordered-" {
		t.Fatalf("namespace = %+v", ns.ObjectMeta)
	}
}

func TestRunNamespacesListsOneRunsOwn(t *testing.T) {
	ctx := context.Background()
	deleting := metav1.Now()
	c := fake.NewClientset(
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "mine-a", Labels: map[string]string{ManagedByLabel: ManagedBy, RunLabel: "r1"}}},
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "mine-b", DeletionTimestamp: &deleting, Finalizers: []string{"kubernetes"},
			Labels: map[string]string{ManagedByLabel: ManagedBy, RunLabel: "r1"}}},
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "other-run", Labels: map[string]string{ManagedByLabel: ManagedBy, RunLabel: "r2"}}},
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "users", Labels: map[string]string{RunLabel: "r1"}}},
	)
	got, err := RunNamespaces(ctx, c, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != "mine-a" || got[1] != "mine-b" {
		t.Fatalf("RunNamespaces = %v, want mine-a and mine-b (being deleted still counts)", got)
	}
}
