package pod

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func TestWaitReady(t *testing.T) {
	pending := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "dns-probe"}, Status: corev1.PodStatus{Phase: corev1.PodPending}}
	in := WaitInput{Client: fake.NewClientset(pending), Namespace: "ns", Name: "dns-probe", What: "dns probe pod Ready", Timeout: 30 * time.Millisecond, Poll: 5 * time.Millisecond}
	_, err := WaitReady(context.Background(), in)
	if err == nil || !strings.HasPrefix(err.Error(), "dns probe pod Ready: pod not Running and Ready: ns/dns-probe phase=Pending") {
		t.Errorf("a pending pod = %v", err)
	}
	ready := pending.DeepCopy()
	ready.Status = corev1.PodStatus{Phase: corev1.PodRunning, Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}}
	in.Client = fake.NewClientset(ready)
	if p, err := WaitReady(context.Background(), in); err != nil || p.Name != "dns-probe" {
		t.Errorf("a ready pod = %v", err)
	}
	in.Client = fake.NewClientset()
	if _, err := WaitReady(context.Background(), in); err == nil || !strings.Contains(err.Error(), "<never seen>") || !strings.Contains(err.Error(), "not found") {
		t.Errorf("a pod never created = %v", err)
	}
}
