package statefulset

import (
	"context"
	"fmt"
	"sort"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/util/retry"
	"k8s.io/utils/ptr"
)

// Create creates the headless Service (when given) and the StatefulSet.
func Create(ctx context.Context, c kubernetes.Interface, set *appsv1.StatefulSet, svc *corev1.Service) (*appsv1.StatefulSet, error) {
	if svc != nil {
		if _, err := c.CoreV1().Services(svc.Namespace).Create(ctx, svc, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
			return nil, fmt.Errorf("create service %s/%s: %w", svc.Namespace, svc.Name, err)
		}
	}
	created, err := c.AppsV1().StatefulSets(set.Namespace).Create(ctx, set, metav1.CreateOptions{})
	if err != nil {
		return nil, fmt.Errorf("create statefulset %s/%s: %w", set.Namespace, set.Name, err)
	}
	return created, nil
}

// Update applies mutate to the latest StatefulSet, retrying on conflicts,
// and reads the answer back as Create's callers do: a cluster that changes
// the spec on update (a policy forcing the partition to 0, say) gets an
// error naming the change (CompareSpec) instead of a spec that judges a
// StatefulSet it did not write.
func Update(ctx context.Context, c kubernetes.Interface, namespace, name string, mutate func(*appsv1.StatefulSet)) (*appsv1.StatefulSet, error) {
	var want *appsv1.StatefulSet
	out, err := update(ctx, c, namespace, name, func(s *appsv1.StatefulSet) {
		mutate(s)
		want = s.DeepCopy()
	}, "statefulset", c.AppsV1().StatefulSets(namespace).Update)
	if err != nil {
		return nil, err
	}
	if err := CompareSpec(want, out); err != nil {
		return out, err
	}
	return out, nil
}

// update reads the latest StatefulSet, applies mutate and writes it with
// write (the object or its status subresource), retrying on conflicts.
func update(ctx context.Context, c kubernetes.Interface, namespace, name string, mutate func(*appsv1.StatefulSet), what string,
	write func(context.Context, *appsv1.StatefulSet, metav1.UpdateOptions) (*appsv1.StatefulSet, error)) (*appsv1.StatefulSet, error) {
	var out *appsv1.StatefulSet
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		s, err := c.AppsV1().StatefulSets(namespace).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		mutate(s)
		out, err = write(ctx, s, metav1.UpdateOptions{})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("update %s %s/%s: %w", what, namespace, name, err)
	}
	return out, nil
}

// ScaleTo sets spec.replicas.
func ScaleTo(ctx context.Context, c kubernetes.Interface, namespace, name string, replicas int32) (*appsv1.StatefulSet, error) {
	return Update(ctx, c, namespace, name, func(s *appsv1.StatefulSet) { s.Spec.Replicas = ptr.To(replicas) })
}

// SetImage changes the web container's image (a rolling update).
func SetImage(ctx context.Context, c kubernetes.Interface, namespace, name, image string) (*appsv1.StatefulSet, error) {
	return Update(ctx, c, namespace, name, func(s *appsv1.StatefulSet) { s.Spec.Template.Spec.Containers[0].Image = image })
}

// SetStartOrdinal changes .spec.ordinals.start; a negative start removes
// .spec.ordinals, which numbers the pods from 0 again.
func SetStartOrdinal(ctx context.Context, c kubernetes.Interface, namespace, name string, start int32) (*appsv1.StatefulSet, error) {
	return Update(ctx, c, namespace, name, func(s *appsv1.StatefulSet) {
		s.Spec.Ordinals = nil
		if start >= 0 {
			s.Spec.Ordinals = &appsv1.StatefulSetOrdinals{Start: start}
		}
	})
}

// SetPartition changes the rolling update partition.
func SetPartition(ctx context.Context, c kubernetes.Interface, namespace, name string, partition int32) (*appsv1.StatefulSet, error) {
	return Update(ctx, c, namespace, name, func(s *appsv1.StatefulSet) {
		s.Spec.UpdateStrategy.RollingUpdate = &appsv1.RollingUpdateStatefulSetStrategy{Partition: ptr.To(partition)}
	})
}

// Delete deletes the StatefulSet with background cascading: the controller
// is gone at once and the garbage collector removes its pods, as
// `kubectl delete statefulset` does.
func Delete(ctx context.Context, c kubernetes.Interface, namespace, name string) error {
	err := c.AppsV1().StatefulSets(namespace).Delete(ctx, name, metav1.DeleteOptions{PropagationPolicy: ptr.To(metav1.DeletePropagationBackground)})
	if err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("delete statefulset %s/%s: %w", namespace, name, err)
	}
	return nil
}

// Pods lists the set's pods, ordered by name.
func Pods(ctx context.Context, c kubernetes.Interface, set *appsv1.StatefulSet) ([]corev1.Pod, error) {
	sel := labels.SelectorFromSet(set.Spec.Selector.MatchLabels).String()
	list, err := c.CoreV1().Pods(set.Namespace).List(ctx, metav1.ListOptions{LabelSelector: sel})
	if err != nil {
		return nil, err
	}
	sort.Slice(list.Items, func(i, j int) bool { return list.Items[i].Name < list.Items[j].Name })
	return list.Items, nil
}

// PodNodes maps each live pod of the set (not terminating) to its node.
func PodNodes(ctx context.Context, c kubernetes.Interface, set *appsv1.StatefulSet) (map[string]string, error) {
	pods, err := Pods(ctx, c, set)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, p := range pods {
		if p.DeletionTimestamp == nil {
			out[p.Name] = p.Spec.NodeName
		}
	}
	return out, nil
}

// Claims lists the set's PersistentVolumeClaims by their conventional
// names (<template>-<set>-<ordinal>), for ordinals [0, upTo).
func Claims(ctx context.Context, c kubernetes.Interface, namespace, template, set string, upTo int) (map[string]*corev1.PersistentVolumeClaim, error) {
	out := map[string]*corev1.PersistentVolumeClaim{}
	for i := 0; i < upTo; i++ {
		name := ClaimName(template, PodName(set, i))
		pvc, err := c.CoreV1().PersistentVolumeClaims(namespace).Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[name] = pvc
	}
	return out, nil
}
