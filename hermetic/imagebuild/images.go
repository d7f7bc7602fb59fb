package imagebuild

import (
	"fmt"

	"github.com/stsconform/stsconform/hermetic/podnet"
)

// Versions of what the node image carries besides Kubernetes itself.
const (
	LocalPathVersion = "v0.0.30"
	// SandboxPause is the sandbox image kind's containerd config names; it
	// differs from kubeadm's pause tag, so both names are preloaded.
	SandboxPause = "registry.k8s.io/pause:3.10"
	// LocalRepo prefixes the images this project builds for itself; a
	// localhost domain is never pulled from anywhere.
	LocalRepo = "localhost/stsconform"
)

// NodeImage is the tag of the hermetic node image for a Kubernetes version.
func NodeImage(v Version) string { return fmt.Sprintf("%s/node:%s", LocalRepo, v) }

// ImageSpec describes one image to build: its names and how its root file
// system is made.
type ImageSpec struct {
	Names      []string
	Binary     string   // host path of a static binary to include
	BinaryPath string   // where it goes in the image
	Entrypoint []string // empty: none
	Cmd        []string // empty: none
	BaseTar    string   // optional root file system tarball underneath
	ExtraFiles []ExtraFile
}

// ExtraFile is a small file written into an image.
type ExtraFile struct {
	ContextName string // name in the build context
	Path        string // path in the image
	Data        []byte
}

// ControlPlaneImages lists every image kubeadm and kind's default add-ons
// pull, under exactly the names they pull: nothing is pulled when every name
// matches.
func ControlPlaneImages(v Version, c Components, bins map[string]string, proxyRootfs string) []ImageSpec {
	kube := func(name string) ImageSpec {
		return ImageSpec{
			Names:      []string{fmt.Sprintf("%s/%s:%s", c.Registry, name, v)},
			Binary:     bins[name],
			BinaryPath: "/usr/local/bin/" + name,
		}
	}
	proxy := kube("kube-proxy")
	proxy.BaseTar = proxyRootfs
	pauseNames := []string{fmt.Sprintf("%s/pause:%s", c.Registry, c.Pause)}
	if pauseNames[0] != SandboxPause {
		pauseNames = append(pauseNames, SandboxPause)
	}
	return []ImageSpec{
		kube("kube-apiserver"),
		kube("kube-controller-manager"),
		kube("kube-scheduler"),
		proxy,
		{Names: []string{fmt.Sprintf("%s/etcd:%s", c.Registry, c.Etcd)}, Binary: bins["etcd"], BinaryPath: "/usr/local/bin/etcd"},
		{Names: []string{fmt.Sprintf("%s/coredns/coredns:%s", c.Registry, c.CoreDNS)}, Binary: bins["coredns"], BinaryPath: "/coredns", Entrypoint: []string{"/coredns"}},
		{Names: pauseNames, Binary: bins["pause"], BinaryPath: "/pause", Entrypoint: []string{"/pause"}},
		{Names: []string{podnet.Image}, Binary: bins["podnet"], BinaryPath: "/podnet", Entrypoint: []string{"/podnet"}},
		{Names: []string{LocalRepo + "/local-path-provisioner:" + LocalPathVersion}, Binary: bins["local-path-provisioner"], BinaryPath: "/usr/local/bin/local-path-provisioner", Entrypoint: []string{"local-path-provisioner"}},
	}
}

// Names flattens the names of specs.
func Names(specs []ImageSpec) []string {
	var out []string
	for _, s := range specs {
		out = append(out, s.Names...)
	}
	return out
}
