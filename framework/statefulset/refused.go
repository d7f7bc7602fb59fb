package statefulset

import (
	"context"
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// CreateRefused asks the API server, with a dry run that stores nothing,
// to create set, and returns its refusal when it refuses the set as
// invalid on field (spec.updateStrategy, say): what a cluster whose
// feature gate is off answers to a field the gate guards. An accepted set,
// or a refusal for another reason, is an error saying so.
func CreateRefused(ctx context.Context, c kubernetes.Interface, set *appsv1.StatefulSet, field string) (string, error) {
	_, err := c.AppsV1().StatefulSets(set.Namespace).Create(ctx, set, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
	switch {
	case err == nil:
		return "", fmt.Errorf("the API server accepts StatefulSet %s/%s with %s as written", set.Namespace, set.Name, field)
	case !apierrors.IsInvalid(err):
		return "", fmt.Errorf("dry-run create of StatefulSet %s/%s: %w", set.Namespace, set.Name, err)
	case !strings.Contains(err.Error(), field):
		return "", fmt.Errorf("the API server refuses StatefulSet %s/%s, but not on %s: %w", set.Namespace, set.Name, field, err)
	}
	return err.Error(), nil
}
