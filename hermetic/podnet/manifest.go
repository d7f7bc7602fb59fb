package podnet

// What the node image build needs to ship podnet: the agent image's name,
// and the manifest kind applies as its default CNI. The image itself is
// built by hermetic/imagebuild from ./hermetic/cmd/podnet; the node image
// preloads it and writes DefaultCNIManifest at ManifestPath.

import (
	"bytes"
	_ "embed"
	"text/template"
)

// Image is the agent image the manifest runs (pulled never: IfNotPresent,
// and the node image carries it). default-cni.yaml names it literally,
// because kind renders that file with its own template data; a test holds
// the two together.
const Image = "localhost/stsconform/podnet:v0.1.0"

// ManifestPath is where kind reads the default CNI manifest in a node image.
const ManifestPath = "/kind/manifests/default-cni.yaml"

// DefaultCNIManifest is the manifest to ship at ManifestPath, unrendered:
// kind renders it itself.
//
//go:embed default-cni.yaml
var DefaultCNIManifest string

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
