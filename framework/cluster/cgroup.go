package cluster

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	kinddefaults "sigs.k8s.io/kind/pkg/apis/config/defaults"
	kindv1alpha4 "sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
)

// failCgroupV1Patch is the one change the suite makes to a kind config it
// is given, and only on a cgroup v1 host: kubelets from v1.35 on refuse to
// start on cgroup v1 unless their configuration says failCgroupV1: false
// (the field exists since v1.31; its default became true in v1.35).
const failCgroupV1Patch = "kind: KubeletConfiguration\nfailCgroupV1: false\n"

// failCgroupV1Since is the first kubelet minor that knows the field.
const failCgroupV1Since = 31

// CgroupDecision is what the suite did about the host's cgroup version when
// it created a cluster, for the run's first lines and the report.
type CgroupDecision struct {
	// HostCgroup is the host's cgroup version as Docker reports it ("1",
	// "2"), empty when Docker did not say.
	HostCgroup string
	// AllowV1 is set when the kubelets were given failCgroupV1: false.
	AllowV1 bool
	// Note says what was decided and why, in one line ("" when there is
	// nothing to say: a cgroup v2 host).
	Note string
}

// DecideCgroup decides, from the host's cgroup version (Docker's answer)
// and the node image, whether the kubelets need failCgroupV1: false. On
// cgroup v2 nothing changes. On v1 the field is added for kubelets that know
// it: every image whose version cannot be told from its tag too, since
// kubeadm drops a field its kubelet configuration type does not have.
func DecideCgroup(hostCgroup, nodeImage string) CgroupDecision {
	d := CgroupDecision{HostCgroup: hostCgroup}
	switch hostCgroup {
	case "2":
		return d
	case "1":
	default:
		d.Note = fmt.Sprintf("the host's cgroup version is unknown (docker info says %q): kind config used as written", hostCgroup)
		return d
	}
	version, minor, known := imageMinor(nodeImage)
	if known && minor < failCgroupV1Since {
		d.Note = fmt.Sprintf("host runs cgroup v1; the kubelets of %s run on it as they are (failCgroupV1 exists from v1.31 on)", version)
		return d
	}
	d.AllowV1 = true
	d.Note = "host runs cgroup v1, which kubelets of v1.35 and later refuse by default: giving them failCgroupV1: false (a KubeletConfiguration patch; the kind config is otherwise used as written)"
	return d
}

// Apply adds the decision's kubelet patch to a parsed kind config, after
// the config's own patches, and nothing else.
func (d CgroupDecision) Apply(c *kindv1alpha4.Cluster) {
	if d.AllowV1 {
		c.KubeadmConfigPatches = append(c.KubeadmConfigPatches, failCgroupV1Patch)
	}
}

// Summary is the decision for the report's environment: the host's cgroup
// version and what the suite changed for it.
func (d CgroupDecision) Summary() string {
	switch {
	case d.HostCgroup == "":
		return "unknown (Docker did not report it)"
	case d.AllowV1:
		return "v" + d.HostCgroup + "; the suite gave the kubelets failCgroupV1: false"
	}
	return "v" + d.HostCgroup + "; nothing changed for it"
}

var imageVersionRE = regexp.MustCompile(`:v1\.(\d+)\.\d+(?:@|$)`)

// imageMinor reads the Kubernetes minor from a node image's tag
// (kindest/node:v1.37.0@sha256:..., localhost/stsconform/node:v1.37.2); an
// empty image is kind's default.
func imageMinor(image string) (version string, minor int, ok bool) {
	if image == "" {
		image = kinddefaults.Image
	}
	m := imageVersionRE.FindStringSubmatch(image)
	if m == nil {
		return "", 0, false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return "", 0, false
	}
	return "v1." + m[1], n, true
}

// hostCgroupVersion is the cgroup version of Docker's host ("1" or "2").
func hostCgroupVersion(ctx context.Context, run docker) (string, error) {
	lines, err := run(ctx, "info", "--format", "{{.CgroupVersion}}")
	if err != nil {
		return "", fmt.Errorf("docker info: %s", errText(err, lines))
	}
	if len(lines) == 0 {
		return "", nil
	}
	return strings.TrimSpace(lines[0]), nil
}
