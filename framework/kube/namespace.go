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
// fine. It does not wait: finalization takes 10-20 s with pods in it; see
// RunNamespaces for who waits.
func DeleteNamespace(ctx context.Context, c kubernetes.Interface, name string) error {
	err := c.CoreV1().Namespaces().Delete(ctx, name, metav1.DeleteOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("delete namespace %s: %w", name, err)
	}
	return nil
}

// RunNamespaces lists the names of the namespaces of one run that still
// exist, those being deleted included: a spec that must not share the
// cluster with the finalization of earlier specs (a drain waits for every
// terminating pod of its node) waits for it to be empty.
func RunNamespaces(ctx context.Context, c kubernetes.Interface, runID string) ([]string, error) {
	list, err := c.CoreV1().Namespaces().List(ctx, metav1.ListOptions{LabelSelector: ManagedByLabel + "=" + ManagedBy + "," + RunLabel + "=" + runID})
	if err != nil {
		return nil, fmt.Errorf("list namespaces of run %s: %w", runID, err)
	}
	names := make([]string, 0, len(list.Items))
	for _, ns := range list.Items {
		names = append(names, ns.Name)
	}
	return names, nil
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
