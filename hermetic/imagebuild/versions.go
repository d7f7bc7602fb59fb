package imagebuild

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Version is a Kubernetes release version such as v1.34.3.
type Version struct {
	Major, Minor, Patch int
}

var versionRE = regexp.MustCompile(`^v(\d+)\.(\d+)\.(\d+)$`)

// ParseVersion accepts exactly vMAJOR.MINOR.PATCH: the node image is built
// from a released k8s.io/kubernetes module, and pre-releases have no matching
// k8s.io/* staging modules to build against.
func ParseVersion(s string) (Version, error) {
	m := versionRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Version{}, fmt.Errorf("invalid Kubernetes version %q: want a release such as v1.34.3", s)
	}
	var v Version
	v.Major, _ = strconv.Atoi(m[1])
	v.Minor, _ = strconv.Atoi(m[2])
	v.Patch, _ = strconv.Atoi(m[3])
	if v.Major != 1 || v.Minor < 30 {
		return Version{}, fmt.Errorf("unsupported Kubernetes version %q: the hermetic build supports v1.30 and later", s)
	}
	return v, nil
}

func (v Version) String() string { return fmt.Sprintf("v%d.%d.%d", v.Major, v.Minor, v.Patch) }

// Staging is the version of the k8s.io/* staging modules released with v
// (k8s.io/api v0.34.3 for Kubernetes v1.34.3).
func (v Version) Staging() string { return fmt.Sprintf("v0.%d.%d", v.Minor, v.Patch) }

// Components are the images kubeadm asks for, beyond the kube-* binaries.
type Components struct {
	Registry string // e.g. registry.k8s.io
	Etcd     string // image tag, e.g. 3.6.5-0
	CoreDNS  string // image tag, e.g. v1.12.1
	Pause    string // image tag, e.g. 3.10.1
	// Images is every name kubeadm printed, in its order.
	Images []string
}

// ParseKubeadmImages reads the output of `kubeadm config images list`.
func ParseKubeadmImages(out string) (Components, error) {
	var c Components
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		name, tag, ok := strings.Cut(line, ":")
		if !ok || tag == "" || strings.ContainsAny(line, " \t") {
			return Components{}, fmt.Errorf("unexpected line in kubeadm image list: %q", line)
		}
		c.Images = append(c.Images, line)
		registry := name[:strings.LastIndex(name, "/")]
		switch {
		case strings.HasSuffix(name, "/etcd"):
			c.Etcd = tag
		case strings.HasSuffix(name, "/coredns"):
			c.CoreDNS = tag
			registry = strings.TrimSuffix(registry, "/coredns")
		case strings.HasSuffix(name, "/pause"):
			c.Pause = tag
		}
		if c.Registry == "" {
			c.Registry = registry
		}
	}
	var missing []string
	for name, v := range map[string]string{"etcd": c.Etcd, "coredns": c.CoreDNS, "pause": c.Pause} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return Components{}, fmt.Errorf("kubeadm image list names no %s image:\n%s", strings.Join(missing, ", "), out)
	}
	return c, nil
}

var etcdTagRE = regexp.MustCompile(`^v?(\d+\.\d+\.\d+)(-\d+)?$`)

// EtcdModuleVersion maps an etcd image tag (3.6.5-0) to the Go module
// version of go.etcd.io/etcd/server/v3 (v3.6.5).
func EtcdModuleVersion(tag string) (string, error) {
	m := etcdTagRE.FindStringSubmatch(tag)
	if m == nil {
		return "", fmt.Errorf("unexpected etcd image tag %q", tag)
	}
	return "v" + m[1], nil
}

var coreDNSTagRE = regexp.MustCompile(`^v?(\d+\.\d+\.\d+)$`)

// CoreDNSModuleVersion maps a CoreDNS image tag (v1.12.1) to the module
// version of github.com/coredns/coredns.
func CoreDNSModuleVersion(tag string) (string, error) {
	m := coreDNSTagRE.FindStringSubmatch(tag)
	if m == nil {
		return "", fmt.Errorf("unexpected CoreDNS image tag %q", tag)
	}
	return "v" + m[1], nil
}
