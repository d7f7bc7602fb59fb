package statefulset

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/util/retry"
)

// The rules the subresource checks name first in their messages.
const (
	scaleRule  = "scale subresource"
	statusRule = "status subresource"
)

// GetScale reads the set's scale subresource (statefulsets/scale), what
// `kubectl scale` and autoscalers read.
func GetScale(ctx context.Context, c kubernetes.Interface, namespace, name string) (*autoscalingv1.Scale, error) {
	s, err := c.AppsV1().StatefulSets(namespace).GetScale(ctx, name, metav1.GetOptions{})
	if err != nil {
		return nil, fmt.Errorf("get statefulsets/scale of %s/%s: %w", namespace, name, err)
	}
	return s, nil
}

// UpdateScale sets spec.replicas as an autoscaler does: it reads the scale
// subresource and writes it back (PUT) with the new replica count,
// retrying on conflicts. It returns the API's answer.
func UpdateScale(ctx context.Context, c kubernetes.Interface, namespace, name string, replicas int32) (*autoscalingv1.Scale, error) {
	var out *autoscalingv1.Scale
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		s, err := c.AppsV1().StatefulSets(namespace).GetScale(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		s.Spec.Replicas = replicas
		out, err = c.AppsV1().StatefulSets(namespace).UpdateScale(ctx, name, s, metav1.UpdateOptions{})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("update statefulsets/scale of %s/%s to %d replicas: %w", namespace, name, replicas, err)
	}
	return out, nil
}

// PatchScale sets spec.replicas with a merge patch of the scale
// subresource, as `kubectl scale` does. It returns the API's answer.
func PatchScale(ctx context.Context, c kubernetes.Interface, namespace, name string, replicas int32) (*autoscalingv1.Scale, error) {
	patch := fmt.Appendf(nil, `{"spec":{"replicas":%d}}`, replicas)
	var out autoscalingv1.Scale
	err := c.AppsV1().RESTClient().Patch(types.MergePatchType).Namespace(namespace).Resource("statefulsets").Name(name).
		SubResource("scale").Body(patch).Do(ctx).Into(&out)
	if err != nil {
		return nil, fmt.Errorf("patch statefulsets/scale of %s/%s to %d replicas: %w", namespace, name, replicas, err)
	}
	return &out, nil
}

// CheckScale checks that a scale subresource and the StatefulSet read
// after it agree: the same desired replicas, the same observed replicas,
// and the set's own selector, which autoscalers use to find its pods.
func CheckScale(scale *autoscalingv1.Scale, set *appsv1.StatefulSet) error {
	var wrong []string
	if want := int32Or(set.Spec.Replicas, 1); scale.Spec.Replicas != want {
		wrong = append(wrong, fmt.Sprintf("spec.replicas %d, the StatefulSet's %d", scale.Spec.Replicas, want))
	}
	if scale.Status.Replicas != set.Status.Replicas {
		wrong = append(wrong, fmt.Sprintf("status.replicas %d, the StatefulSet's %d", scale.Status.Replicas, set.Status.Replicas))
	}
	sel, err := metav1.LabelSelectorAsSelector(set.Spec.Selector)
	if err != nil {
		return fmt.Errorf("%s: StatefulSet %s/%s has an invalid selector: %w", scaleRule, set.Namespace, set.Name, err)
	}
	if got, err := labels.Parse(scale.Status.Selector); err != nil || got.String() != sel.String() {
		wrong = append(wrong, fmt.Sprintf("status.selector %q, the StatefulSet's %q", scale.Status.Selector, sel.String()))
	}
	if len(wrong) == 0 {
		return nil
	}
	return fmt.Errorf("%s: statefulsets/scale of %s/%s disagrees with the StatefulSet: %s", scaleRule, set.Namespace, set.Name, strings.Join(wrong, "; "))
}

// ScaledTo checks that a write of want replicas through the scale
// subresource (how) reached the StatefulSet's spec.
func ScaledTo(set *appsv1.StatefulSet, want int32, how string) error {
	if got := int32Or(set.Spec.Replicas, 1); got != want {
		return fmt.Errorf("%s: StatefulSet %s/%s has spec.replicas %d after %s set %d", scaleRule, set.Namespace, set.Name, got, how, want)
	}
	return nil
}

// GetStatus reads the set through its status subresource
// (statefulsets/status), which answers with the whole object.
func GetStatus(ctx context.Context, c kubernetes.Interface, namespace, name string) (*appsv1.StatefulSet, error) {
	var out appsv1.StatefulSet
	err := c.AppsV1().RESTClient().Get().Namespace(namespace).Resource("statefulsets").Name(name).SubResource("status").Do(ctx).Into(&out)
	if err != nil {
		return nil, fmt.Errorf("get statefulsets/status of %s/%s: %w", namespace, name, err)
	}
	return &out, nil
}

// SameStatus checks that what the status subresource answered (viaStatus)
// is the StatefulSet read just before it, with the same status.
func SameStatus(set, viaStatus *appsv1.StatefulSet) error {
	st, vs := set.Status, viaStatus.Status
	switch {
	case viaStatus.UID != set.UID:
		return fmt.Errorf("%s: statefulsets/status of %s/%s answered with another object (uid %s, the StatefulSet's %s)",
			statusRule, set.Namespace, set.Name, viaStatus.UID, set.UID)
	case !apiequality.Semantic.DeepEqual(st, vs):
		return fmt.Errorf("%s: statefulsets/status of %s/%s answered another status than the StatefulSet's: observedGeneration %d, %d replicas, %d ready, update revision %q; the StatefulSet's %d, %d, %d, %q",
			statusRule, set.Namespace, set.Name, vs.ObservedGeneration, vs.Replicas, vs.ReadyReplicas, vs.UpdateRevision,
			st.ObservedGeneration, st.Replicas, st.ReadyReplicas, st.UpdateRevision)
	}
	return nil
}

// UpdateStatus applies mutate to the latest StatefulSet and writes it
// through the status subresource (PUT statefulsets/status), retrying on
// conflicts. mutate may change the spec too: the subresource must ignore
// that (see SpecKept). It returns the API's answer.
func UpdateStatus(ctx context.Context, c kubernetes.Interface, namespace, name string, mutate func(*appsv1.StatefulSet)) (*appsv1.StatefulSet, error) {
	return update(ctx, c, namespace, name, mutate, "statefulsets/status of", c.AppsV1().StatefulSets(namespace).UpdateStatus)
}

// PatchStatusCondition adds or replaces one condition with a strategic
// merge patch of the status subresource; conditions merge by type, so the
// others stay. It returns the API's answer.
func PatchStatusCondition(ctx context.Context, c kubernetes.Interface, namespace, name string, cond appsv1.StatefulSetCondition) (*appsv1.StatefulSet, error) {
	patch, err := json.Marshal(map[string]any{"status": map[string]any{"conditions": []appsv1.StatefulSetCondition{cond}}})
	if err != nil {
		return nil, err
	}
	out, err := c.AppsV1().StatefulSets(namespace).Patch(ctx, name, types.StrategicMergePatchType, patch, metav1.PatchOptions{}, "status")
	if err != nil {
		return nil, fmt.Errorf("patch statefulsets/status of %s/%s with condition %s: %w", namespace, name, cond.Type, err)
	}
	return out, nil
}

// HasCondition checks that the set's status holds want (type, status,
// reason and message), as written through the status subresource; seen
// says which read it was (the write's answer, a later GET).
func HasCondition(set *appsv1.StatefulSet, want appsv1.StatefulSetCondition, seen string) error {
	var have []string
	for _, c := range set.Status.Conditions {
		if c.Type == want.Type && c.Status == want.Status && c.Reason == want.Reason && c.Message == want.Message {
			return nil
		}
		have = append(have, describeCondition(c))
	}
	if len(have) == 0 {
		have = []string{"none"}
	}
	return fmt.Errorf("%s: condition %s written to %s/%s is not in %s; its conditions: %s",
		statusRule, describeCondition(want), set.Namespace, set.Name, seen, strings.Join(have, ", "))
}

// SpecKept checks that a write through the status subresource left the
// spec as it was before (after is the object read after the write): the
// status subresource must ignore changes to anything but the status.
func SpecKept(before, after *appsv1.StatefulSet) error {
	if after.Generation == before.Generation && apiequality.Semantic.DeepEqual(before.Spec, after.Spec) {
		return nil
	}
	return fmt.Errorf("%s: a write to statefulsets/status of %s/%s changed its spec: generation %d -> %d, spec.replicas %d -> %d; the status subresource must ignore the spec",
		statusRule, after.Namespace, after.Name, before.Generation, after.Generation, int32Or(before.Spec.Replicas, 1), int32Or(after.Spec.Replicas, 1))
}

func describeCondition(c appsv1.StatefulSetCondition) string {
	return fmt.Sprintf("%s=%s (reason %q, message %q)", c.Type, c.Status, c.Reason, c.Message)
}

// ScaleAgrees reads the scale subresource, then the StatefulSet, and checks
// that they agree (CheckScale).
func ScaleAgrees(ctx context.Context, c kubernetes.Interface, namespace, name string) error {
	scale, err := GetScale(ctx, c, namespace, name)
	if err != nil {
		return err
	}
	set, err := c.AppsV1().StatefulSets(namespace).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return fmt.Errorf("get statefulset %s/%s: %w", namespace, name, err)
	}
	return CheckScale(scale, set)
}
