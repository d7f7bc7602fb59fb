package statefulset

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/util/retry"
	"k8s.io/utils/ptr"
)

// What the adoption and claim retention specs do to owners: who owns a
// pod or claim decides who adopts, releases or garbage-collects it.

// SetClaimOwners replaces the claim's ownerReferences, retrying on
// conflicts (the StatefulSet controller writes them too).
func SetClaimOwners(ctx context.Context, c kubernetes.Interface, namespace, name string, owners []metav1.OwnerReference) error {
	claims := c.CoreV1().PersistentVolumeClaims(namespace)
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		pvc, err := claims.Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		pvc.OwnerReferences = owners
		_, err = claims.Update(ctx, pvc, metav1.UpdateOptions{})
		return err
	})
	if err != nil {
		return fmt.Errorf("setting the owners of claim %s/%s: %w", namespace, name, err)
	}
	return nil
}

// UpdatePod applies change to the latest pod, retrying on conflicts: a
// pod's labels and owners, which the kubelet's status writes race with.
func UpdatePod(ctx context.Context, c kubernetes.Interface, namespace, name string, change func(*corev1.Pod)) (*corev1.Pod, error) {
	pods := c.CoreV1().Pods(namespace)
	var out *corev1.Pod
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		p, err := pods.Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		change(p)
		out, err = pods.Update(ctx, p, metav1.UpdateOptions{})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("updating pod %s/%s: %w", namespace, name, err)
	}
	return out, nil
}

// Orphan removes every ownerReference of the pod, as upstream's adoption
// spec does: the set must adopt it again.
func Orphan(ctx context.Context, c kubernetes.Interface, namespace, pod string) (*corev1.Pod, error) {
	return UpdatePod(ctx, c, namespace, pod, func(p *corev1.Pod) { p.OwnerReferences = nil })
}

// DeleteOrphaning deletes the StatefulSet with orphan propagation: the
// garbage collector removes the set's ownerReferences from its pods and
// claims and leaves them, for a set of the same name to adopt.
func DeleteOrphaning(ctx context.Context, c kubernetes.Interface, namespace, name string) error {
	err := c.AppsV1().StatefulSets(namespace).Delete(ctx, name, metav1.DeleteOptions{PropagationPolicy: ptr.To(metav1.DeletePropagationOrphan)})
	if err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("delete statefulset %s/%s orphaning its pods: %w", namespace, name, err)
	}
	return nil
}

// NewOwner creates a ConfigMap to stand for another controller (or
// another owner, controller false) of a claim, as upstream's retention
// specs do, and returns the ownerReference naming it.
func NewOwner(ctx context.Context, c kubernetes.Interface, namespace, name string, controller bool) (metav1.OwnerReference, error) {
	cm, err := c.CoreV1().ConfigMaps(namespace).Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace}}, metav1.CreateOptions{})
	if err != nil {
		return metav1.OwnerReference{}, fmt.Errorf("creating configmap %s/%s to own claims: %w", namespace, name, err)
	}
	return metav1.OwnerReference{APIVersion: "v1", Kind: "ConfigMap", Name: cm.Name, UID: cm.UID, Controller: ptr.To(controller)}, nil
}
