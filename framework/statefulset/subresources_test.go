package statefulset

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	"k8s.io/utils/ptr"
)

func rolledOutSet(replicas int32) *appsv1.StatefulSet {
	set, _ := New("ns", "web", "web:1", WithReplicas(replicas))
	set.Generation = 1
	set.Status.Replicas = replicas
	return set
}

func scaleOf(spec, status int32, selector string) *autoscalingv1.Scale {
	return &autoscalingv1.Scale{Spec: autoscalingv1.ScaleSpec{Replicas: spec}, Status: autoscalingv1.ScaleStatus{Replicas: status, Selector: selector}}
}

// expectErr fails unless err is nil when want is "", or mentions want.
func expectErr(t *testing.T, name string, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("%s: %v", name, err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Errorf("%s: %v\nwant %q", name, err, want)
	}
}

func TestCheckScale(t *testing.T) {
	set := rolledOutSet(2)
	for _, c := range []struct {
		name  string
		scale *autoscalingv1.Scale
		want  string
	}{
		{"agrees", scaleOf(2, 2, "app=web"), ""},
		{"another replica count", scaleOf(3, 2, "app=web"),
			"scale subresource: statefulsets/scale of ns/web disagrees with the StatefulSet: spec.replicas 3, the StatefulSet's 2"},
		{"stale status", scaleOf(2, 1, "app=web"), "status.replicas 1, the StatefulSet's 2"},
		{"another selector", scaleOf(2, 2, "app=db"), `status.selector "app=db", the StatefulSet's "app=web"`},
		{"no selector", scaleOf(2, 2, ""), `status.selector "", the StatefulSet's "app=web"`},
	} {
		expectErr(t, c.name, CheckScale(c.scale, set), c.want)
	}
}

func TestScaledTo(t *testing.T) {
	expectErr(t, "reached", ScaledTo(rolledOutSet(2), 2, "PUT statefulsets/scale"), "")
	expectErr(t, "ignored", ScaledTo(rolledOutSet(1), 2, "PUT statefulsets/scale"),
		"scale subresource: StatefulSet ns/web has spec.replicas 1 after PUT statefulsets/scale set 2")
}

func TestHasCondition(t *testing.T) {
	want := appsv1.StatefulSetCondition{Type: "StatusUpdate", Status: "True", Reason: "E2E", Message: "set by stsconform"}
	set := rolledOutSet(1)
	expectErr(t, "no conditions", HasCondition(set, want, "a later GET"),
		`status subresource: condition StatusUpdate=True (reason "E2E", message "set by stsconform") written to ns/web is not in a later GET; its conditions: none`)
	other := want
	other.Message = "something else"
	set.Status.Conditions = []appsv1.StatefulSetCondition{other}
	expectErr(t, "another message", HasCondition(set, want, "the answer"), `its conditions: StatusUpdate=True (reason "E2E", message "something else")`)
	set.Status.Conditions = append(set.Status.Conditions, want)
	expectErr(t, "present", HasCondition(set, want, "the answer"), "")
}

func TestSpecKept(t *testing.T) {
	before := rolledOutSet(1)
	after := before.DeepCopy()
	after.Status.Conditions = []appsv1.StatefulSetCondition{{Type: "StatusUpdate", Status: "True"}}
	expectErr(t, "status only", SpecKept(before, after), "")
	after.Spec.Replicas = ptr.To[int32](2)
	after.Generation = 2
	expectErr(t, "spec changed", SpecKept(before, after),
		"status subresource: a write to statefulsets/status of ns/web changed its spec: generation 1 -> 2, spec.replicas 1 -> 2")
	same := before.DeepCopy()
	same.Spec.Template.Spec.Containers[0].Image = "web:2"
	expectErr(t, "template changed, generation not", SpecKept(before, same), "changed its spec: generation 1 -> 1")
}

func TestSameStatus(t *testing.T) {
	set := rolledOutSet(1)
	set.UID = "uid-a"
	set.Status.ReadyReplicas = 1
	expectErr(t, "same", SameStatus(set, set.DeepCopy()), "")
	stale := set.DeepCopy()
	stale.Status.ReadyReplicas = 0
	expectErr(t, "another status", SameStatus(set, stale),
		"status subresource: statefulsets/status of ns/web answered another status than the StatefulSet's: observedGeneration 0, 1 replicas, 0 ready")
	other := set.DeepCopy()
	other.UID = "uid-b"
	expectErr(t, "another object", SameStatus(set, other), "answered with another object (uid uid-b, the StatefulSet's uid-a)")
}
