package kube

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
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

// DeleteNamespace deletes a namespace and waits until it is gone, so that
// the next spec does not compete with its finalization.
func DeleteNamespace(ctx context.Context, c kubernetes.Interface, name string, timeout, poll time.Duration) error {
	err := c.CoreV1().Namespaces().Delete(ctx, name, metav1.DeleteOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("delete namespace %s: %w", name, err)
	}
	var last *corev1.Namespace
	err = wait.PollUntilContextTimeout(ctx, poll, timeout, true, func(ctx context.Context) (bool, error) {
		ns, err := c.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return true, nil
		}
		last = ns
		return false, nil
	})
	if err != nil && last != nil {
		return fmt.Errorf("namespace %s still %s after %s (conditions: %v): %w", name, last.Status.Phase, timeout, last.Status.Conditions, err)
	}
	return err
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
