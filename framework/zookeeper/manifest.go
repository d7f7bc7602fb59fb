package zookeeper

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"text/template"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"

	"github.com/stsconform/stsconform/fixtures"
	"github.com/stsconform/stsconform/framework/statefulset"
)

// ManifestInput fills fixtures/zookeeper/ensemble.yaml; zero fields take
// the defaults of Render.
type ManifestInput struct {
	Namespace string
	Name      string // StatefulSet; Services, ConfigMap and budget are named after it
	Image     string
	Replicas  int32
	// StorageClass of the members' claims; empty: the cluster default.
	StorageClass string
	StorageSize  string
	Heap         string
	TickTime     int // milliseconds
}

// Ensemble is the rendered manifest, as typed objects.
type Ensemble struct {
	Headless *corev1.Service
	Client   *corev1.Service
	Config   *corev1.ConfigMap
	Budget   *policyv1.PodDisruptionBudget
	Set      *appsv1.StatefulSet
}

// Render fills the fixture with the given image: by default a 3-member
// ensemble "zk" with 50Mi claims and a 128m heap.
func Render(in ManifestInput) (*Ensemble, error) {
	if in.Namespace == "" {
		return nil, fmt.Errorf("render %s: a namespace is required", fixtures.ZooKeeperEnsemble)
	}
	if in.Name == "" {
		in.Name = "zk"
	}
	if in.Image == "" {
		// The suite maps image roles to what the cluster can pull; a
		// default here would bypass that.
		return nil, fmt.Errorf("render %s: an image is required", fixtures.ZooKeeperEnsemble)
	}
	if in.Replicas == 0 {
		in.Replicas = 3
	}
	if in.StorageSize == "" {
		in.StorageSize = "50Mi"
	}
	if in.Heap == "" {
		in.Heap = "128m"
	}
	if in.TickTime == 0 {
		in.TickTime = 2000
	}
	tmpl, err := template.ParseFS(fixtures.FS, fixtures.ZooKeeperEnsemble)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, in); err != nil {
		return nil, fmt.Errorf("render %s: %w", fixtures.ZooKeeperEnsemble, err)
	}
	e := &Ensemble{}
	r := utilyaml.NewYAMLReader(bufio.NewReader(&buf))
	for {
		doc, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("render %s: %w", fixtures.ZooKeeperEnsemble, err)
		}
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		obj, _, err := scheme.Codecs.UniversalDeserializer().Decode(doc, nil, nil)
		if err != nil {
			return nil, fmt.Errorf("render %s: %w", fixtures.ZooKeeperEnsemble, err)
		}
		switch o := obj.(type) {
		case *appsv1.StatefulSet:
			e.Set = o
		case *corev1.ConfigMap:
			e.Config = o
		case *policyv1.PodDisruptionBudget:
			e.Budget = o
		case *corev1.Service:
			if o.Spec.ClusterIP == corev1.ClusterIPNone {
				e.Headless = o
			} else {
				e.Client = o
			}
		default:
			return nil, fmt.Errorf("render %s: unexpected %T", fixtures.ZooKeeperEnsemble, obj)
		}
	}
	if e.Set == nil || e.Config == nil || e.Budget == nil || e.Headless == nil || e.Client == nil {
		return nil, fmt.Errorf("render %s: want a StatefulSet, ConfigMap, PodDisruptionBudget and two Services, got %+v", fixtures.ZooKeeperEnsemble, e)
	}
	return e, nil
}

// Apply creates the ensemble's objects; those that exist already are left
// as they are, so applying again after deleting the StatefulSet re-creates
// only the StatefulSet, as `kubectl apply` of the unchanged file would.
func (e *Ensemble) Apply(ctx context.Context, c kubernetes.Interface) error {
	ns := e.Set.Namespace
	create := func(kind, name string, err error) error {
		if err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("apply %s %s/%s: %w", kind, ns, name, err)
		}
		return nil
	}
	_, err := c.CoreV1().Services(ns).Create(ctx, e.Headless, metav1.CreateOptions{})
	if err := create("Service", e.Headless.Name, err); err != nil {
		return err
	}
	_, err = c.CoreV1().Services(ns).Create(ctx, e.Client, metav1.CreateOptions{})
	if err := create("Service", e.Client.Name, err); err != nil {
		return err
	}
	_, err = c.CoreV1().ConfigMaps(ns).Create(ctx, e.Config, metav1.CreateOptions{})
	if err := create("ConfigMap", e.Config.Name, err); err != nil {
		return err
	}
	_, err = c.PolicyV1().PodDisruptionBudgets(ns).Create(ctx, e.Budget, metav1.CreateOptions{})
	if err := create("PodDisruptionBudget", e.Budget.Name, err); err != nil {
		return err
	}
	admitted, err := c.AppsV1().StatefulSets(ns).Create(ctx, e.Set, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		admitted, err = c.AppsV1().StatefulSets(ns).Get(ctx, e.Set.Name, metav1.GetOptions{})
	}
	if err := create("StatefulSet", e.Set.Name, err); err != nil {
		return err
	}
	// The manifest's set is read back like every set the suite makes: a
	// cluster that rewrote it on admission (replicas, podManagementPolicy,
	// the claim templates) is named here, not read later as an ensemble
	// that lost its quorum or its data.
	return statefulset.CompareSpec(e.Set, admitted)
}

// MemberNames are the pod names of the members, by ordinal.
func (e *Ensemble) MemberNames() []string {
	n := int32(1)
	if e.Set.Spec.Replicas != nil {
		n = *e.Set.Spec.Replicas
	}
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%d", e.Set.Name, i)
	}
	return out
}

// Member is the ensemble's member pod, reached with cfg and c; timeout
// bounds each call (0: 10s).
func (e *Ensemble) Member(cfg *rest.Config, c kubernetes.Interface, pod string, timeout time.Duration) Member {
	return Member{Config: cfg, Client: c, Namespace: e.Set.Namespace, Pod: pod, Timeout: timeout}
}
