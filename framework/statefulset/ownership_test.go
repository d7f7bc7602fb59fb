package statefulset

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func TestOwnership(t *testing.T) {
	ctx := context.Background()
	ref := metav1.OwnerReference{APIVersion: "apps/v1", Kind: "StatefulSet", Name: "web", UID: "u"}
	c := fake.NewClientset(
		&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web-0", Namespace: "ns", OwnerReferences: []metav1.OwnerReference{ref}}},
		&corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Name: "data-web-0", Namespace: "ns"}},
	)
	p, err := Orphan(ctx, c, "ns", "web-0")
	if err != nil || len(p.OwnerReferences) != 0 {
		t.Fatalf("Orphan = %v, %v", p, err)
	}
	owner, err := NewOwner(ctx, c, "ns", "keeper", true)
	if err != nil || owner.Kind != "ConfigMap" || owner.Name != "keeper" || !*owner.Controller {
		t.Fatalf("NewOwner = %+v, %v", owner, err)
	}
	if err := SetClaimOwners(ctx, c, "ns", "data-web-0", []metav1.OwnerReference{owner}); err != nil {
		t.Fatal(err)
	}
	pvc, _ := c.CoreV1().PersistentVolumeClaims("ns").Get(ctx, "data-web-0", metav1.GetOptions{})
	if len(pvc.OwnerReferences) != 1 || pvc.OwnerReferences[0].Name != "keeper" {
		t.Errorf("claim owners %+v", pvc.OwnerReferences)
	}
	if err := SetClaimOwners(ctx, c, "ns", "data-web-9", nil); err == nil {
		t.Error("a missing claim's owners were set")
	}
}
