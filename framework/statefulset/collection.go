package statefulset

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
)

// collectionRule is what the collection checks name first.
const collectionRule = "StatefulSet collection"

// List lists the StatefulSets matching a label selector, in one namespace
// or, with namespace "", in all of them.
func List(ctx context.Context, c kubernetes.Interface, namespace, selector string) ([]appsv1.StatefulSet, error) {
	list, err := c.AppsV1().StatefulSets(namespace).List(ctx, metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		return nil, fmt.Errorf("list statefulsets %s in %q: %w", selector, namespace, err)
	}
	return list.Items, nil
}

// LabelAndImagePatch is a strategic merge patch that adds a label to the
// StatefulSet and sets the image of one container of its pod template.
func LabelAndImagePatch(key, value, container, image string) ([]byte, error) {
	return json.Marshal(map[string]any{
		"metadata": map[string]any{"labels": map[string]string{key: value}},
		"spec": map[string]any{"template": map[string]any{"spec": map[string]any{
			"containers": []map[string]string{{"name": container, "image": image}},
		}}},
	})
}

// Patch applies a strategic merge patch to the StatefulSet.
func Patch(ctx context.Context, c kubernetes.Interface, namespace, name string, patch []byte) (*appsv1.StatefulSet, error) {
	out, err := c.AppsV1().StatefulSets(namespace).Patch(ctx, name, types.StrategicMergePatchType, patch, metav1.PatchOptions{})
	if err != nil {
		return nil, fmt.Errorf("patch statefulset %s/%s: %w", namespace, name, err)
	}
	return out, nil
}

// DeleteCollection deletes the StatefulSets of a namespace that match a
// label selector in one call (DELETE .../statefulsets?labelSelector=...),
// with background cascading: their pods go after them.
func DeleteCollection(ctx context.Context, c kubernetes.Interface, namespace, selector string) error {
	bg := metav1.DeletePropagationBackground
	err := c.AppsV1().StatefulSets(namespace).DeleteCollection(ctx, metav1.DeleteOptions{PropagationPolicy: &bg}, metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		return fmt.Errorf("delete collection of statefulsets %s in %s: %w", selector, namespace, err)
	}
	return nil
}

// Listed checks that a list by label selector returned exactly the
// StatefulSets want (namespace/name), no more and no fewer.
func Listed(list []appsv1.StatefulSet, selector string, want ...string) error {
	got := make([]string, 0, len(list))
	for _, s := range list {
		got = append(got, s.Namespace+"/"+s.Name)
	}
	slices.Sort(got)
	want = slices.Sorted(slices.Values(want))
	if slices.Equal(got, want) {
		return nil
	}
	return fmt.Errorf("%s: listing StatefulSets with %s returned %s, want exactly %s", collectionRule, selector, orNone(got), orNone(want))
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
