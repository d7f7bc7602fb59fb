package diagnostics

import (
	"context"
	"os"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"
)

func (d *dumper) pods(ctx context.Context) []corev1.Pod {
	list, err := d.c.CoreV1().Pods(d.ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		d.fail("listing pods", err)
		return nil
	}
	d.fail("writing pods.yaml", writeList(d.path("pods.yaml"), corev1.SchemeGroupVersion.WithKind("Pod"), list.Items))
	return list.Items
}

func (d *dumper) statefulSets(ctx context.Context) {
	list, err := d.c.AppsV1().StatefulSets(d.ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		d.fail("listing statefulsets", err)
		return
	}
	d.fail("writing statefulsets.yaml", writeList(d.path("statefulsets.yaml"), appsv1.SchemeGroupVersion.WithKind("StatefulSet"), list.Items))
}

func (d *dumper) controllerRevisions(ctx context.Context) {
	list, err := d.c.AppsV1().ControllerRevisions(d.ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		d.fail("listing controllerrevisions", err)
		return
	}
	d.fail("writing controllerrevisions.yaml", writeList(d.path("controllerrevisions.yaml"), appsv1.SchemeGroupVersion.WithKind("ControllerRevision"), list.Items))
}

func (d *dumper) claims(ctx context.Context) {
	list, err := d.c.CoreV1().PersistentVolumeClaims(d.ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		d.fail("listing persistentvolumeclaims", err)
		return
	}
	d.fail("writing pvcs.yaml", writeList(d.path("pvcs.yaml"), corev1.SchemeGroupVersion.WithKind("PersistentVolumeClaim"), list.Items))
}

// volumes keeps the PVs whose claimRef points into the namespace, released
// ones included: a volume left behind by a deleted claim is evidence too.
func (d *dumper) volumes(ctx context.Context) {
	list, err := d.c.CoreV1().PersistentVolumes().List(ctx, metav1.ListOptions{})
	if err != nil {
		d.fail("listing persistentvolumes", err)
		return
	}
	var ours []corev1.PersistentVolume
	for _, pv := range list.Items {
		if pv.Spec.ClaimRef != nil && pv.Spec.ClaimRef.Namespace == d.ns {
			ours = append(ours, pv)
		}
	}
	d.fail("writing pvs.yaml", writeList(d.path("pvs.yaml"), corev1.SchemeGroupVersion.WithKind("PersistentVolume"), ours))
}

func (d *dumper) budgets(ctx context.Context) {
	list, err := d.c.PolicyV1().PodDisruptionBudgets(d.ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		d.fail("listing poddisruptionbudgets", err)
		return
	}
	d.fail("writing poddisruptionbudgets.yaml", writeList(d.path("poddisruptionbudgets.yaml"), policyv1.SchemeGroupVersion.WithKind("PodDisruptionBudget"), list.Items))
}

// writeList writes items as a kubectl-style v1 List. Typed clients leave
// apiVersion and kind empty on items; they are set so that each item can be
// read (or re-applied) on its own.
func writeList[T any, PT interface {
	*T
	runtime.Object
}](path string, gvk schema.GroupVersionKind, items []T) error {
	for i := range items {
		PT(&items[i]).GetObjectKind().SetGroupVersionKind(gvk)
	}
	if items == nil {
		items = []T{}
	}
	b, err := yaml.Marshal(struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		Items      []T    `json:"items"`
	}{"v1", "List", items})
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
