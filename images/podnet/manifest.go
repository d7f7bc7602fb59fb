// Package podnetimage ships what the node image build needs for podnet, the
// CNI of registry-less kind clusters: the manifest kind applies as its
// default CNI, the Dockerfile of the agent image, and their names.
//
// Building the image (see build.sh): build ./cmd/podnet with CGO_ENABLED=0
// into an empty directory as "podnet", put Dockerfile beside it, and
// `docker build -t Image` that directory. The node image then needs the
// image loaded into containerd's k8s.io namespace and DefaultCNIManifest
// written at ManifestPath.
package podnetimage

import (
	"bytes"
	_ "embed"
	"text/template"
)

// Image is the agent image the manifest runs (pulled never: IfNotPresent,
// and the node image carries it).
const Image = "localhost/stsconform/podnet:v0.1.0"

// BuildPackage is the Go package of the agent binary, to be built with
// CGO_ENABLED=0 and named BinaryName in the image build context.
const (
	BuildPackage = "github.com/stsconform/stsconform/cmd/podnet"
	BinaryName   = "podnet"
)

// ManifestPath is where kind reads the default CNI manifest in a node image.
const ManifestPath = "/kind/manifests/default-cni.yaml"

// DefaultCNIManifest is the manifest to ship at ManifestPath, unrendered:
// kind renders it itself.
//
//go:embed default-cni.yaml
var DefaultCNIManifest string

// Dockerfile is the agent image's Dockerfile (FROM scratch, copies the
// binary).
//
//go:embed Dockerfile
var Dockerfile string

// Render executes DefaultCNIManifest the way kind does (text/template with
// a PodSubnet field), for tests and for applying it without kind.
func Render(podSubnet string) (string, error) {
	t, err := template.New("cni-manifest").Parse(DefaultCNIManifest)
	if err != nil {
		return "", err
	}
	var out bytes.Buffer
	if err := t.Execute(&out, &struct{ PodSubnet string }{PodSubnet: podSubnet}); err != nil {
		return "", err
	}
	return out.String(), nil
}
