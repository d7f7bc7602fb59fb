package cluster

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"text/template"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/e2e-framework/klient/decoder"
	"sigs.k8s.io/e2e-framework/klient/k8s/resources"

	"github.com/stsconform/stsconform/fixtures"
)

// kind's default storage add-on, whose images the shared class reuses.
const (
	localPathNamespace  = "local-path-storage"
	localPathDeployment = "local-path-provisioner"
)

// SharedStorageInput configures InstallSharedStorage.
type SharedStorageInput struct {
	Config       *rest.Config
	Client       kubernetes.Interface
	StorageClass string
}

// InstallSharedStorage adds a StorageClass whose volumes survive the loss of
// a node (fixtures/addons/shared-storage.yaml). It reuses the images of the
// cluster's own local-path provisioner, which every kind node image carries.
func InstallSharedStorage(ctx context.Context, in SharedStorageInput) error {
	d, err := in.Client.AppsV1().Deployments(localPathNamespace).Get(ctx, localPathDeployment, metav1.GetOptions{})
	if err != nil {
		return fmt.Errorf("shared storage needs kind's local-path provisioner (%s/%s): %w", localPathNamespace, localPathDeployment, err)
	}
	prov, helper, err := LocalPathImages(d.Spec.Template.Spec.Containers)
	if err != nil {
		return err
	}
	tmpl, err := template.ParseFS(fixtures.FS, fixtures.SharedStorage)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, map[string]string{"ProvisionerImage": prov, "HelperImage": helper, "StorageClass": in.StorageClass}); err != nil {
		return err
	}
	r, err := resources.New(in.Config)
	if err != nil {
		return err
	}
	if err := decoder.DecodeEach(ctx, &buf, decoder.CreateIgnoreAlreadyExists(r)); err != nil {
		return fmt.Errorf("apply %s: %w", fixtures.SharedStorage, err)
	}
	return nil
}

// LocalPathImages finds the provisioner image and its --helper-image in
// the local-path provisioner's containers.
func LocalPathImages(containers []corev1.Container) (provisioner, helper string, err error) {
	for _, c := range containers {
		args := append(append([]string{}, c.Command...), c.Args...)
		for i, a := range args {
			if a == "--helper-image" && i+1 < len(args) {
				return c.Image, args[i+1], nil
			}
			if v, ok := strings.CutPrefix(a, "--helper-image="); ok {
				return c.Image, v, nil
			}
		}
		for _, e := range c.Env {
			if e.Name == "HELPER_IMAGE" && e.Value != "" {
				return c.Image, e.Value, nil
			}
		}
	}
	return "", "", fmt.Errorf("kind's local-path provisioner names no --helper-image")
}

// HasStorageClass reports whether a StorageClass exists.
func HasStorageClass(ctx context.Context, c kubernetes.Interface, name string) (bool, error) {
	_, err := c.StorageV1().StorageClasses().Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// PrepareInput configures Prepare.
type PrepareInput struct {
	Config             *rest.Config
	Client             kubernetes.Interface
	Images             []string // loaded into every node of a kind cluster (locally built ones)
	SharedStorageClass string
}

// Prepare makes a kind cluster ready for the suites: the test images in
// every node, and the shared StorageClass when the cluster lacks it. On a
// cluster that is not kind it changes nothing. It reports whether the shared
// class exists afterwards.
func (c *Cluster) Prepare(ctx context.Context, in PrepareInput) (sharedStorage bool, err error) {
	if c.Kind {
		if len(in.Images) > 0 {
			if err := c.LoadImages(ctx, in.Images); err != nil {
				return false, err
			}
		}
		has, err := HasStorageClass(ctx, in.Client, in.SharedStorageClass)
		if err != nil {
			return false, err
		}
		if !has {
			if err := InstallSharedStorage(ctx, SharedStorageInput{Config: in.Config, Client: in.Client, StorageClass: in.SharedStorageClass}); err != nil {
				return false, err
			}
		}
	}
	return HasStorageClass(ctx, in.Client, in.SharedStorageClass)
}
