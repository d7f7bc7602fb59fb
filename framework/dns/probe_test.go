package dns

import (
	"context"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func TestCreateProbe(t *testing.T) {
	c := fake.NewClientset()
	ref, err := CreateProbe(context.Background(), ProbeInput{Client: c, Namespace: "sts", Name: "dns-probe", Image: "busybox:1.36", NodeName: "kind-worker"})
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
