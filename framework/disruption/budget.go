package disruption

import (
	"context"
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/stsconform/stsconform/framework/poll"
)

// BudgetInput names a PodDisruptionBudget and the disruptions it must
// allow.
type BudgetInput struct {
	Client    kubernetes.Interface
	Namespace string
	Name      string
	Allowed   int32
	// Timeout bounds the wait (config Timeouts.PodReady: the budget
	// follows a pod's readiness).
	Timeout, Poll time.Duration
}

// WaitDisruptionsAllowed waits until the budget's controller has observed
// its latest generation and allows exactly Allowed disruptions: only then
// does an eviction's answer depend on the pods the spec changed.
func WaitDisruptionsAllowed(ctx context.Context, in BudgetInput) error {
	err := poll.Until(ctx, in.Timeout, in.Poll, func(ctx context.Context) error {
		p, err := in.Client.PolicyV1().PodDisruptionBudgets(in.Namespace).Get(ctx, in.Name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		if p.Status.ObservedGeneration < p.Generation || p.Status.DisruptionsAllowed != in.Allowed {
			return fmt.Errorf("observedGeneration %d of %d, %d disruptions allowed (%d of %d pods healthy, %d desired)",
				p.Status.ObservedGeneration, p.Generation, p.Status.DisruptionsAllowed, p.Status.CurrentHealthy, p.Status.ExpectedPods, p.Status.DesiredHealthy)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("PodDisruptionBudget %s/%s to allow %d disruptions: %w", in.Namespace, in.Name, in.Allowed, err)
	}
	return nil
}
