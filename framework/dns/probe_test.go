package dns

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	clienttesting "k8s.io/client-go/testing"
)

// withStatusOnCreate makes the fake API server store created pods with the
// given status, standing in for the kubelet.
func withStatusOnCreate(c *fake.Clientset, status corev1.PodStatus) {
	c.PrependReactor("create", "pods", func(a clienttesting.Action) (bool, runtime.Object, error) {
		a.(clienttesting.CreateAction).GetObject().(*corev1.Pod).Status = status
		return false, nil, nil
	})
}

func TestStartProbeWaitsForReady(t *testing.T) {
	c := fake.NewClientset()
	withStatusOnCreate(c, corev1.PodStatus{
		Phase:      corev1.PodRunning,
		Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}},
	})
	ref, err := StartProbe(context.Background(), ProbeInput{Client: c, Namespace: "sts", Name: "dns-probe", Image: "busybox:1.36", NodeName: "kind-worker"})
	if err != nil {
		t.Fatal(err)
	}
	if ref != (PodRef{Namespace: "sts", Name: "dns-probe", Container: "probe"}) {
		t.Errorf("ref = %+v", ref)
	}
	p, err := c.CoreV1().Pods("sts").Get(context.Background(), "dns-probe", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Spec.Containers[0].Image != "busybox:1.36" || p.Spec.NodeName != "kind-worker" {
		t.Errorf("pod spec does not follow the input: %+v", p.Spec)
	}

	if err := StopProbe(context.Background(), c, ref); err != nil {
		t.Fatal(err)
	}
	if err := StopProbe(context.Background(), c, ref); err != nil {
		t.Errorf("stopping a gone probe must succeed: %v", err)
	}
}

func TestStartProbeTimeoutShowsWhy(t *testing.T) {
	c := fake.NewClientset()
	withStatusOnCreate(c, corev1.PodStatus{
		Phase: corev1.PodPending,
		ContainerStatuses: []corev1.ContainerStatus{{
			Name:  "probe",
			State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ErrImagePull", Message: "pull access denied"}},
		}},
	})
	_, err := StartProbe(context.Background(), ProbeInput{Client: c, Namespace: "sts", Name: "dns-probe", Image: "busybox:nope", Timeout: 1500 * time.Millisecond})
	if err == nil {
		t.Fatal("expected a timeout")
	}
	for _, want := range []string{"sts/dns-probe", "phase=Pending", "ErrImagePull", "pull access denied"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
}
