package statefulset

import (
	"context"
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// DeletePodsOn deletes the set's pods on the revision that are not already
// terminating, and returns their names: the documented forced rollback's
// "delete any Pods that StatefulSet had already attempted to run with the
// bad configuration". Each delete is preconditioned on the UID it saw, so
// that a pod the controller has re-created under the same name since is
// left alone; one already gone is not an error.
func DeletePodsOn(ctx context.Context, c kubernetes.Interface, set *appsv1.StatefulSet, revision string) ([]string, error) {
	pods, err := Pods(ctx, c, set)
	if err != nil {
		return nil, fmt.Errorf("listing the pods of %s/%s: %w", set.Namespace, set.Name, err)
	}
	var deleted []string
	for _, p := range pods {
		if p.Labels[appsv1.StatefulSetRevisionLabel] != revision || p.DeletionTimestamp != nil {
			continue
		}
		err := c.CoreV1().Pods(p.Namespace).Delete(ctx, p.Name, metav1.DeleteOptions{Preconditions: metav1.NewUIDPreconditions(string(p.UID))})
		switch {
		case err == nil:
			deleted = append(deleted, p.Name)
		case apierrors.IsNotFound(err), apierrors.IsConflict(err):
		default:
			return deleted, fmt.Errorf("deleting pod %s/%s of revision %s: %w", p.Namespace, p.Name, revision, err)
		}
	}
	return deleted, nil
}
