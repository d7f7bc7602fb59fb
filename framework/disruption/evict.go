package disruption

import (
	"context"
	"errors"
	"strings"

	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// Evict asks the API server to evict the pod. The API error is returned
// unwrapped so callers can test it with apierrors (a PDB refusal is 429
// TooManyRequests) or with IsBlockedByPDB.
func Evict(ctx context.Context, c kubernetes.Interface, namespace, pod string) error {
	return c.CoreV1().Pods(namespace).EvictV1(ctx, &policyv1.Eviction{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: pod},
	})
}

// IsBlockedByPDB reports whether err is an eviction refused by a
// PodDisruptionBudget. A bare 429 is not enough: API priority and fairness
// also answers 429 when it throttles, without the DisruptionBudget cause.
func IsBlockedByPDB(err error) bool {
	return apierrors.IsTooManyRequests(err) && apierrors.HasStatusCause(err, policyv1.DisruptionBudgetCause)
}

// BlockReason returns the PDB's own explanation of a refusal (which budget,
// how many healthy pods it needs and has), which the error's message lacks;
// "" when err is not a PDB refusal.
func BlockReason(err error) string {
	if !IsBlockedByPDB(err) {
		return ""
	}
	var status apierrors.APIStatus
	if !errors.As(err, &status) || status.Status().Details == nil {
		return ""
	}
	var msgs []string
	for _, c := range status.Status().Details.Causes {
		if c.Type == policyv1.DisruptionBudgetCause {
			msgs = append(msgs, c.Message)
		}
	}
	return strings.Join(msgs, "; ")
}
