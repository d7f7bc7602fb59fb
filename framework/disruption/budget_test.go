package disruption

import (
	"context"
	"strings"
	"testing"
	"time"

	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func TestWaitDisruptionsAllowed(t *testing.T) {
	pdb := &policyv1.PodDisruptionBudget{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "web", Generation: 2},
		Status: policyv1.PodDisruptionBudgetStatus{ObservedGeneration: 2, DisruptionsAllowed: 1, CurrentHealthy: 3, DesiredHealthy: 2, ExpectedPods: 3}}
	in := BudgetInput{Client: fake.NewClientset(pdb), Namespace: "ns", Name: "web", Allowed: 1, Timeout: 30 * time.Millisecond, Poll: 5 * time.Millisecond}
	if err := WaitDisruptionsAllowed(context.Background(), in); err != nil {
		t.Errorf("a budget that allows 1: %v", err)
	}
	in.Allowed = 0
	err := WaitDisruptionsAllowed(context.Background(), in)
	if err == nil || !strings.HasPrefix(err.Error(), "PodDisruptionBudget ns/web to allow 0 disruptions: not within 30ms; last: observedGeneration 2 of 2, 1 disruptions allowed (3 of 3 pods healthy, 2 desired)") {
		t.Errorf("a budget that allows 1, waited for 0: %v", err)
	}
	stale := pdb.DeepCopy()
	stale.Status.ObservedGeneration = 1
	in.Allowed, in.Client = 1, fake.NewClientset(stale)
	if err := WaitDisruptionsAllowed(context.Background(), in); err == nil || !strings.Contains(err.Error(), "observedGeneration 1 of 2") {
		t.Errorf("a budget its controller has not observed: %v", err)
	}
}
