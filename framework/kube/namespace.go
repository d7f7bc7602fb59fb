package kube

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// Labels marking what the suite creates, so that leftovers of an
// interrupted run can be found and removed.
const (
	ManagedByLabel = "app.kubernetes.io/managed-by"
	ManagedBy      = "stsconform"
	RunLabel       = "stsconform.io/run"
)

// CreateNamespace makes a namespace with a generated name for one spec.
func CreateNamespace(ctx context.Context, c kubernetes.Interface, base, runID string) (*corev1.Namespace, error) {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{
		GenerateName: base + "-",
		Labels:       map[string]string{ManagedByLabel: ManagedBy, RunLabel: runID},
	}}
	created, err := c.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{})
	if err != nil {
		return nil, fmt.Errorf("create namespace %s-*: %w", base, err)
	}
	return created, nil
}

// DeleteNamespace asks for a namespace's deletion; one already gone is
// fine. Callers wait for it to be gone (GetNamespace until NotFound) so that
// the next spec does not compete with its finalization.
func DeleteNamespace(ctx context.Context, c kubernetes.Interface, name string) error {
	err := c.CoreV1().Namespaces().Delete(ctx, name, metav1.DeleteOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("delete namespace %s: %w", name, err)
	}
	return nil
}

// GetNamespace is a getter for waits: the namespace, or the API's error
// (NotFound once it is gone).
func GetNamespace(c kubernetes.Interface, name string) func(context.Context) (*corev1.Namespace, error) {
	return func(ctx context.Context) (*corev1.Namespace, error) {
		return c.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
	}
}

// DeleteManagedNamespaces deletes every namespace the suite created: of
// one run when runID is set, else of any run (leftovers of interrupted
// runs). It does not wait.
func DeleteManagedNamespaces(ctx context.Context, c kubernetes.Interface, runID string) ([]string, error) {
	sel := ManagedByLabel + "=" + ManagedBy
	if runID != "" {
		sel += "," + RunLabel + "=" + runID
	}
	list, err := c.CoreV1().Namespaces().List(ctx, metav1.ListOptions{LabelSelector: sel})
	if err != nil {
		return nil, err
	}
	var deleted []string
	for _, ns := range list.Items {
		if ns.DeletionTimestamp != nil {
			continue
		}
		if err := c.CoreV1().Namespaces().Delete(ctx, ns.Name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
			return deleted, err
		}
		deleted = append(deleted, ns.Name)
	}
	return deleted, nil
}
