package statefulset

import (
	"context"
	"fmt"
	"slices"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/util/retry"
)

// HoldFinalizer keeps a deleted pod in the API, Terminating, until the
// spec removes it (upstream's testFinalizer does the same): the window in
// which the controller sees the deleted pod, terminated and possibly
// Failed, but cannot yet replace it.
const HoldFinalizer = "stsconform.io/hold"

// AddPodFinalizer adds finalizer to the pod, once, retrying on conflicts.
func AddPodFinalizer(ctx context.Context, c kubernetes.Interface, namespace, pod, finalizer string) error {
	return editFinalizers(ctx, c, namespace, pod, "adding", finalizer, func(fs []string) []string {
		if slices.Contains(fs, finalizer) {
			return fs
		}
		return append(fs, finalizer)
	})
}

// RemovePodFinalizer removes finalizer from the pod; a pod already gone is
// no error, so that it can run as a cleanup whatever the spec reached.
func RemovePodFinalizer(ctx context.Context, c kubernetes.Interface, namespace, pod, finalizer string) error {
	err := editFinalizers(ctx, c, namespace, pod, "removing", finalizer, func(fs []string) []string {
		return slices.DeleteFunc(fs, func(f string) bool { return f == finalizer })
	})
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}

func editFinalizers(ctx context.Context, c kubernetes.Interface, namespace, pod, verb, finalizer string, edit func([]string) []string) error {
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		p, err := c.CoreV1().Pods(namespace).Get(ctx, pod, metav1.GetOptions{})
		if err != nil {
			return err
		}
		before := len(p.Finalizers)
		p.Finalizers = edit(p.Finalizers)
		if len(p.Finalizers) == before {
			return nil
		}
		_, err = c.CoreV1().Pods(namespace).Update(ctx, p, metav1.UpdateOptions{})
		return err
	})
	if err != nil {
		return fmt.Errorf("%s finalizer %s of pod %s/%s: %w", verb, finalizer, namespace, pod, err)
	}
	return nil
}
