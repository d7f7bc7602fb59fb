package imagebuild

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// NodeOverlay lays out what this project adds to the Debian root file
// system: kind's base files, the Kubernetes node binaries, the runtime
// wrapper, the add-on manifests kind applies, and the systemd wiring kind's
// Dockerfile does with systemctl.
type NodeOverlay struct {
	KindDir         string
	Version         Version
	KubeBin         string // directory of kubelet, kubeadm, kubectl
	Wrapper         string // capwrap binary
	CRIBaseSpec     []byte
	CNIManifest     []byte
	StorageManifest []byte
}

func (o NodeOverlay) Tree() (*Tree, error) {
	t := NewTree()
	if err := KindBaseFiles(t, o.KindDir); err != nil {
		return nil, err
	}
	for _, b := range []string{"kubelet", "kubeadm", "kubectl"} {
		t.HostFile("usr/bin/"+b, 0o755, filepath.Join(o.KubeBin, b))
	}
	t.HostFile(Wrapper, 0o755, o.Wrapper)
	// kind's units and scripts expect kind's own build locations.
	t.Symlink("usr/local/bin/containerd", "/usr/bin/containerd")
	t.Symlink("usr/local/bin/containerd-shim-runc-v2", "/usr/bin/containerd-shim-runc-v2")
	t.Symlink("usr/local/bin/ctr", "/usr/bin/ctr")
	t.Symlink("opt/cni/bin", "/usr/lib/cni")
	t.File("etc/containerd/cri-base.json", 0o644, o.CRIBaseSpec)
	t.File("kind/version", 0o644, []byte(o.Version.String()+"\n"))
	t.File("kind/manifests/default-cni.yaml", 0o644, o.CNIManifest)
	t.File("kind/manifests/default-storage.yaml", 0o644, o.StorageManifest)
	for _, u := range []string{"kubelet.service", "containerd.service", "undo-mount-hacks.service"} {
		t.Symlink("etc/systemd/system/multi-user.target.wants/"+u, "/etc/systemd/system/"+u)
	}
	t.Symlink("etc/systemd/system/systemd-binfmt.service", "/dev/null")
	t.Dir("etc/kubernetes/manifests", 0o755)
	return t, nil
}

const nodeDockerfile = `FROM scratch
ADD rootfs.tar /
ADD overlay.tar /
ENV container=docker
STOPSIGNAL SIGRTMIN+3
ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]
`

// assembleNode builds the node image: the root file system and overlay as
// layers, then every image preloaded into containerd's k8s.io namespace
// (kind's own recipe: containerd started in a stopped-down build container,
// `ctr images import --no-unpack`, docker commit).
func (b *Builder) assembleNode(ctx context.Context, name, key, rootfs string, overlay *Tree, preload []string) error {
	dir, err := os.MkdirTemp(b.cache.Dir, "node-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := os.Link(rootfs, filepath.Join(dir, "rootfs.tar")); err != nil {
		if _, err := b.run.run(ctx, "copy rootfs", cmdOpts{}, "cp", rootfs, filepath.Join(dir, "rootfs.tar")); err != nil {
			return err
		}
	}
	if err := overlay.WriteTarFile(filepath.Join(dir, "overlay.tar")); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(nodeDockerfile), 0o644); err != nil {
		return err
	}
	base := fmt.Sprintf("%s/node-base:%s", LocalRepo, key)
	b.run.progress("assembling node image layers")
	if _, err := b.run.run(ctx, "docker build node base", cmdOpts{dir: dir, env: []string{"DOCKER_BUILDKIT=0"}}, "docker", "build", "-q", "-t", base, "."); err != nil {
		return err
	}
	defer b.run.cleanup(ctx, "remove node base", "docker", "rmi", base)

	container := fmt.Sprintf("stsconform-build-%d", time.Now().UnixNano())
	if _, err := b.run.run(ctx, "start build container", cmdOpts{}, "docker", "run", "-d", "--name", container,
		"--entrypoint=sleep", "--security-opt", "seccomp=unconfined", base, "infinity"); err != nil {
		return err
	}
	defer b.run.cleanup(ctx, "remove build container", "docker", "rm", "-f", container)
	exec := func(step string, o cmdOpts, args ...string) error {
		_, err := b.run.run(ctx, step, o, "docker", append([]string{"exec", "-i", container}, args...)...)
		return err
	}
	if err := exec("start containerd", cmdOpts{}, "bash", "-c", "nohup containerd >/var/log/containerd-build.log 2>&1 &"); err != nil {
		return err
	}
	if err := exec("wait for containerd", cmdOpts{}, "bash", "-c",
		`for i in $(seq 1 100); do [ -S /run/containerd/containerd.sock ] && ctr version >/dev/null 2>&1 && exit 0; sleep 0.1; done; cat /var/log/containerd-build.log; exit 1`); err != nil {
		return err
	}
	b.run.progress("preloading %d images into the node's containerd", len(preload))
	archive := filepath.Join(dir, "images.tar")
	if _, err := b.run.run(ctx, "docker save", cmdOpts{}, "docker", append([]string{"save", "-o", archive}, preload...)...); err != nil {
		return err
	}
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := exec("ctr import", cmdOpts{stdin: f}, "ctr", "--namespace=k8s.io", "images", "import",
		"--label=io.cri-containerd.pinned=pinned", "--all-platforms", "--no-unpack", "--digests", "-"); err != nil {
		return err
	}
	listed, err := b.run.run(ctx, "ctr list", cmdOpts{}, "docker", "exec", container, "ctr", "--namespace=k8s.io", "images", "list", "-q")
	if err != nil {
		return err
	}
	if missing := MissingImages(preload, strings.Fields(listed)); len(missing) > 0 {
		return fmt.Errorf("preload: containerd in the node lacks %s after import", strings.Join(missing, ", "))
	}
	// The build container's PID 1 is sleep, which reaps nobody: a stopped
	// containerd stays a zombie, so wait for it to leave the running states.
	if err := exec("stop containerd", cmdOpts{}, "bash", "-c",
		`pkill containerd; for i in $(seq 1 100); do ps -C containerd -o stat= | grep -qv '^Z' || exit 0; sleep 0.1; done; ps -C containerd -o pid=,stat=; exit 1`); err != nil {
		return err
	}
	// Commit under a temporary name first: only a complete image gets the
	// real tag.
	tmp := fmt.Sprintf("%s/tmp:node-%s", LocalRepo, key)
	if _, err := b.run.run(ctx, "docker commit", cmdOpts{}, "docker", "commit",
		"--change", `ENTRYPOINT [ "/usr/local/bin/entrypoint", "/sbin/init" ]`,
		"--change", `CMD []`,
		"--change", "LABEL "+KeyLabel+"="+key,
		container, tmp); err != nil {
		return err
	}
	if _, err := b.run.run(ctx, "docker tag node", cmdOpts{}, "docker", "tag", tmp, name); err != nil {
		return err
	}
	_, err = b.run.run(ctx, "docker untag", cmdOpts{}, "docker", "rmi", tmp)
	return err
}

// MissingImages lists the wanted names that containerd does not list.
func MissingImages(want, listed []string) []string {
	have := map[string]bool{}
	for _, l := range listed {
		have[l] = true
	}
	var missing []string
	for _, w := range want {
		if !have[w] {
			missing = append(missing, w)
		}
	}
	return missing
}
