package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"sigs.k8s.io/kind/pkg/exec"

	"github.com/stsconform/stsconform/framework/report"
)

// docker runs a docker command and returns its output lines; a variable so
// that tests can answer for Docker.
type docker func(ctx context.Context, args ...string) ([]string, error)

func runDocker(ctx context.Context, args ...string) ([]string, error) {
	return exec.OutputLines(exec.CommandContext(ctx, "docker", args...))
}

// Origin says, for the certification report, whether this run created the
// cluster and from which node image. The image and its digest are read from
// Docker (the node container, else the image Create was given); what Docker
// does not say is unknown with the reason. A cluster the run did not create
// has an empty origin but Created=false: the suite cannot know how it was
// made.
func (c *Cluster) Origin(ctx context.Context) report.ClusterOrigin {
	if c == nil || !c.Owned {
		return report.ClusterOrigin{}
	}
	o := report.ClusterOrigin{Created: true, Name: c.Name, CreateDuration: c.CreateDuration}
	var containers []string
	if c.provider != nil {
		if nodes, err := c.provider.ListNodes(c.Name); err == nil {
			for _, n := range nodes {
				containers = append(containers, n.String())
			}
		}
	}
	o.NodeImage, o.NodeImageDigest = nodeImage(ctx, runDocker, containers, c.nodeImage)
	o.HostCgroup = report.Setting{Name: "host cgroup", Value: c.Cgroup.Summary(), Source: "docker info"}
	if c.Cgroup.HostCgroup == "" {
		o.HostCgroup = report.Setting{Name: "host cgroup", Unknown: "docker info did not report the cgroup version"}
	}
	return o
}

// nodeImage reads the image of the first node container that Docker
// describes, or failing that the image asked for, and its digest: the
// registry digest when the image came from a registry, else the local image
// ID (a locally built image has no registry digest).
func nodeImage(ctx context.Context, run docker, containers []string, requested string) (image, digest report.Setting) {
	image = report.Setting{Name: "node image"}
	digest = report.Setting{Name: "node image digest"}
	var ref, id string
	var why []string
	for _, name := range containers {
		lines, err := run(ctx, "container", "inspect", "--format", "{{.Config.Image}}\t{{.Image}}", name)
		if err != nil || len(lines) == 0 {
			why = append(why, fmt.Sprintf("docker container inspect %s: %s", name, errText(err, lines)))
			continue
		}
		r, i, _ := strings.Cut(strings.TrimSpace(lines[0]), "\t")
		if r == "" {
			continue
		}
		ref, id = r, i
		image.Value, image.Source = ref, "kind node container "+name
		break
	}
	if ref == "" && requested != "" {
		ref = requested
		image.Value, image.Source = ref, "image given to kind (no node container described it)"
	}
	if ref == "" {
		if len(containers) == 0 {
			why = append(why, "no kind node container found")
		}
		image.Unknown = "kind's default image; " + strings.Join(why, "; ")
		digest.Unknown = "the node image is unknown"
		return image, digest
	}
	if id == "" {
		id = ref
	}
	lines, err := run(ctx, "image", "inspect", "--format", "{{.Id}}\t{{json .RepoDigests}}", id)
	if err != nil || len(lines) == 0 {
		if _, d, ok := strings.Cut(ref, "@"); ok {
			digest.Value, digest.Source = d, "the image reference given to kind"
			return image, digest
		}
		digest.Unknown = fmt.Sprintf("docker image inspect %s: %s", id, errText(err, lines))
		return image, digest
	}
	imageID, repoDigests, _ := strings.Cut(strings.TrimSpace(lines[0]), "\t")
	var digests []string
	_ = json.Unmarshal([]byte(repoDigests), &digests)
	if repo, sum := pickDigest(ref, digests); sum != "" {
		digest.Value, digest.Source = sum, "registry digest of "+repo+" (docker image inspect)"
		return image, digest
	}
	if imageID != "" {
		digest.Value, digest.Source = imageID, "docker image inspect: local image ID (no registry digest: the image was built or loaded on this host)"
		return image, digest
	}
	digest.Unknown = "docker image inspect " + id + " gave neither a registry digest nor an image ID"
	return image, digest
}

// pickDigest chooses, among an image's "repo@sha256:..." digests, the one
// of the reference's repository, else the first.
func pickDigest(ref string, digests []string) (repo, sum string) {
	want := repository(ref)
	for _, d := range digests {
		if r, s, ok := strings.Cut(d, "@"); ok && repository(r) == want {
			return r, s
		}
	}
	for _, d := range digests {
		if r, s, ok := strings.Cut(d, "@"); ok {
			return r, s
		}
	}
	return "", ""
}

// repository strips the tag and digest of an image reference and docker.io's
// implicit prefixes, so that "kindest/node:v1.34.0@sha256:..." and
// "docker.io/kindest/node" compare equal.
func repository(ref string) string {
	ref, _, _ = strings.Cut(ref, "@")
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		ref = ref[:i]
	}
	ref = strings.TrimPrefix(ref, "docker.io/")
	return strings.TrimPrefix(ref, "library/")
}

func errText(err error, lines []string) string {
	out := strings.TrimSpace(strings.Join(lines, " "))
	switch {
	case err != nil && out != "":
		return fmt.Sprintf("%v: %s", err, out)
	case err != nil:
		return err.Error()
	}
	return "no output"
}
