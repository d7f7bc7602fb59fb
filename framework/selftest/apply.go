package selftest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/e2e-framework/klient/decoder"
	"sigs.k8s.io/e2e-framework/klient/k8s"
	"sigs.k8s.io/e2e-framework/klient/k8s/resources"

	"github.com/stsconform/stsconform/fixtures"
	"github.com/stsconform/stsconform/framework/kube"
	"github.com/stsconform/stsconform/framework/statefulset"
)

// Files of a breakage under fixtures/selftest/<name>/.
const (
	KindConfigFile = "kind-config.yaml"
	ManifestFile   = "manifest.yaml"
)

// ApplyInput configures Apply.
type ApplyInput struct {
	Config   *rest.Config
	Client   kubernetes.Interface
	Breakage Breakage
	// Timeout bounds each wait: a restarted Deployment rolled out, an
	// admission change in effect.
	Timeout time.Duration
	Poll    time.Duration
}

// Apply breaks a running cluster as the breakage says: its manifest
// created or, where the object exists (CoreDNS's ConfigMap), replaced; the
// Deployments that read it only at start restarted and rolled out; an
// admission change waited for until the API server applies it.
func Apply(ctx context.Context, in ApplyInput) error {
	b := in.Breakage
	manifest, err := fixtures.SelftestFile(b.Name, ManifestFile)
	if errors.Is(err, fs.ErrNotExist) {
		manifest = nil
	} else if err != nil {
		return err
	}
	if manifest != nil && needsAdmissionVersion(manifest) {
		gv, err := servedAdmissionVersion(in.Client.Discovery())
		if err != nil {
			return fmt.Errorf("breakage %s: %w", b.Name, err)
		}
		if manifest, err = withAPIVersion(manifest, gv); err != nil {
			return fmt.Errorf("fixtures/selftest/%s/%s: %w", b.Name, ManifestFile, err)
		}
	}
	if manifest != nil {
		r, err := resources.New(in.Config)
		if err != nil {
			return err
		}
		if err := decoder.DecodeEach(ctx, bytes.NewReader(manifest), createOrReplace(r)); err != nil {
			return fmt.Errorf("apply fixtures/selftest/%s/%s: %w", b.Name, ManifestFile, err)
		}
	}
	for _, d := range b.Restart {
		if err := restart(ctx, in, d); err != nil {
			return err
		}
	}
	if b.Mutated != nil {
		return waitMutated(ctx, in)
	}
	return nil
}

// createOrReplace creates an object, or replaces the one of its name.
func createOrReplace(r *resources.Resources) decoder.HandlerFunc {
	return func(ctx context.Context, obj k8s.Object) error {
		err := r.Create(ctx, obj)
		if !apierrors.IsAlreadyExists(err) {
			return err
		}
		current := obj.DeepCopyObject().(k8s.Object)
		if err := r.Get(ctx, obj.GetName(), obj.GetNamespace(), current); err != nil {
			return err
		}
		obj.SetResourceVersion(current.GetResourceVersion())
		return r.Update(ctx, obj)
	}
}

// restart does what kubectl rollout restart does and waits until every
// replica runs the new template.
func restart(ctx context.Context, in ApplyInput, namespaced string) error {
	ns, name, ok := strings.Cut(namespaced, "/")
	if !ok {
		return fmt.Errorf("restart %q: want namespace/name", namespaced)
	}
	patch := fmt.Sprintf(`{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":%q}}}}}`, time.Now().Format(time.RFC3339))
	deployments := in.Client.AppsV1().Deployments(ns)
	if _, err := deployments.Patch(ctx, name, types.StrategicMergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
		return fmt.Errorf("restart deployment %s: %w", namespaced, err)
	}
	var last *appsv1.Deployment
	err := wait.PollUntilContextTimeout(ctx, in.Poll, in.Timeout, true, func(ctx context.Context) (bool, error) {
		d, err := deployments.Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return false, nil
		}
		last = d
		want := int32(1)
		if d.Spec.Replicas != nil {
			want = *d.Spec.Replicas
		}
		st := d.Status
		return st.ObservedGeneration >= d.Generation && st.UpdatedReplicas == want && st.Replicas == want && st.AvailableReplicas == want, nil
	})
	if err != nil {
		return fmt.Errorf("deployment %s not rolled out %s after its restart: %w (status %+v)", namespaced, in.Timeout, err, statusOf(last))
	}
	return nil
}

func statusOf(d *appsv1.Deployment) any {
	if d == nil {
		return "never read"
	}
	return d.Status
}

// waitMutated asks the API server, with dry runs in a namespace of the
// suite's kind, to create a StatefulSet and to update one, until an answer
// comes back with the breakage's change: an admission policy is in effect
// only once the API server has loaded it, and it may act on creation or on
// update only. The probe has no replicas, so no pod is ever made.
func waitMutated(ctx context.Context, in ApplyInput) error {
	ns, err := kube.CreateNamespace(ctx, in.Client, "selftest-admission", in.Breakage.Name)
	if err != nil {
		return err
	}
	defer func() { _ = kube.DeleteNamespace(context.WithoutCancel(ctx), in.Client, ns.Name) }()
	// Two sets (a dry-run create of the name of one that exists would only
	// answer AlreadyExists), with a partition other than the default, so
	// that a policy that resets it shows.
	// Each field a breakage rewrites is set to what it is not rewritten to.
	probe := []statefulset.Option{statefulset.WithReplicas(0), statefulset.WithPartition(1), statefulset.WithMinReadySeconds(1)}
	set, _ := statefulset.New(ns.Name, "probe-create", "selftest.invalid/unused:1", probe...)
	stored, _ := statefulset.New(ns.Name, "probe-update", "selftest.invalid/unused:1", probe...)
	sets := in.Client.AppsV1().StatefulSets(ns.Name)
	if _, err := sets.Create(ctx, stored, metav1.CreateOptions{}); err != nil {
		return fmt.Errorf("create the admission probe %s/%s: %w", ns.Name, stored.Name, err)
	}
	dryRun := []string{metav1.DryRunAll}
	var last string // what the API server answered last, for the error
	err = wait.PollUntilContextTimeout(ctx, in.Poll, in.Timeout, true, func(ctx context.Context) (bool, error) {
		created, cerr := sets.Create(ctx, set, metav1.CreateOptions{DryRun: dryRun})
		if cerr == nil && in.Breakage.Mutated(created) {
			return true, nil
		}
		// The latest, since the controller writes the probe's status.
		existing, uerr := sets.Get(ctx, stored.Name, metav1.GetOptions{})
		if uerr == nil {
			existing.Annotations = map[string]string{"stsconform.io/probe": time.Now().Format(time.RFC3339Nano)}
			var updated *appsv1.StatefulSet
			if updated, uerr = sets.Update(ctx, existing, metav1.UpdateOptions{DryRun: dryRun}); uerr == nil && in.Breakage.Mutated(updated) {
				return true, nil
			}
		}
		if ctx.Err() == nil { // not the poll's own deadline cutting a call short
			last = fmt.Sprintf("dry-run create: %s; dry-run update: %s", answer(cerr), answer(uerr))
		}
		return false, nil
	})
	if err != nil {
		return fmt.Errorf("the admission change of breakage %s is not in effect after %s (last answers: %s): %w", in.Breakage.Name, in.Timeout, last, err)
	}
	return nil
}

func answer(err error) string {
	if err != nil {
		return err.Error()
	}
	return "accepted without the change"
}
