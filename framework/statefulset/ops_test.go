package statefulset

import (
	"context"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
	"k8s.io/utils/ptr"
)

// A cluster that rewrites the partition on every update: SetImage must name
// the change, not return a set the spec would judge as its own.
func TestUpdateNamesAChangeMadeOnAdmission(t *testing.T) {
	set, _ := New("ns", "web", "web:1", WithPartition(4))
	c := fake.NewClientset(set)
	if _, err := SetImage(context.Background(), c, "ns", "web", "web:2"); err != nil {
		t.Fatalf("an update the cluster kept as written was refused: %v", err)
	}
	c.PrependReactor("update", "statefulsets", func(a k8stesting.Action) (bool, runtime.Object, error) {
		s := a.(k8stesting.UpdateAction).GetObject().(*appsv1.StatefulSet)
		s.Spec.UpdateStrategy.RollingUpdate = &appsv1.RollingUpdateStatefulSetStrategy{Partition: ptr.To[int32](0)}
		return false, nil, nil // the tracker stores the changed object
	})
	got, err := SetImage(context.Background(), c, "ns", "web", "web:3")
	want := "the cluster changed StatefulSet ns/web on admission: spec.updateStrategy.rollingUpdate.partition 4 -> 0"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("SetImage on a cluster that resets the partition = %v, want %q", err, want)
	}
	if got == nil || got.Spec.Template.Spec.Containers[0].Image != "web:3" {
		t.Errorf("the answer read back is not returned with the error: %v", got)
	}
}
