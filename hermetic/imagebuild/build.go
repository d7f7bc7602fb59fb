// Package offline builds everything a kind cluster needs from Debian
// packages and Go modules, with no container registry: the node image with
// every image kubeadm and the add-ons ask for preloaded, and the images the
// suites run. Each step is cached by the hash of its inputs, so a second
// build with unchanged inputs only checks.
package imagebuild

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/stsconform/stsconform/hermetic/podnet"
)

// Builder builds the hermetic images.
type Builder struct {
	RepoRoot string
	cache    Cache
	run      *runner
}

// Options configure a Builder.
type Options struct {
	RepoRoot string    // this repository's root (for cmd/ and images/)
	CacheDir string    // build cache; default $HOME/.cache/stsconform
	Progress io.Writer // where progress lines go
	// MinFreeBytes is the free disk space a build needs before it starts.
	MinFreeBytes uint64
}

// New checks the tools a build needs and returns a Builder.
func New(o Options) (*Builder, error) {
	if o.CacheDir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, err
		}
		o.CacheDir = filepath.Join(home, ".cache", "stsconform")
	}
	if err := os.MkdirAll(filepath.Join(o.CacheDir, "logs"), 0o755); err != nil {
		return nil, fmt.Errorf("build cache %s: %w", o.CacheDir, err)
	}
	if _, err := exec.LookPath("go"); err != nil {
		return nil, errors.New("no go command on PATH: the hermetic build compiles Kubernetes from Go modules, install Go")
	}
	if _, err := exec.LookPath("docker"); err != nil {
		return nil, errors.New("docker is not installed; run `make docker-up` (hermetic/docker-up.sh) first")
	}
	if o.MinFreeBytes > 0 {
		var st syscall.Statfs_t
		if err := syscall.Statfs(o.CacheDir, &st); err == nil {
			if free := st.Bavail * uint64(st.Bsize); free < o.MinFreeBytes {
				return nil, fmt.Errorf("the disk is full: %s has %d MiB free, the build needs %d MiB", o.CacheDir, free>>20, o.MinFreeBytes>>20)
			}
		}
	}
	return &Builder{
		RepoRoot: o.RepoRoot,
		cache:    Cache{Dir: o.CacheDir},
		run:      &runner{logDir: filepath.Join(o.CacheDir, "logs"), stdout: o.Progress},
	}, nil
}

func (b *Builder) dockerAnswers(ctx context.Context) error {
	if _, err := b.run.run(ctx, "docker info", cmdOpts{}, "docker", "info"); err != nil {
		var se *StepError
		if errors.As(err, &se) {
			se.Cause = causeFromOutput(se.Tail, "no Docker engine answers (run `make docker-up`)")
		}
		return err
	}
	return nil
}

// Workloads builds the images the suites run.
func (b *Builder) Workloads(ctx context.Context) ([]string, error) {
	if err := b.dockerAnswers(ctx); err != nil {
		return nil, err
	}
	rootfs, version, err := b.busyboxRootfs(ctx)
	if err != nil {
		return nil, err
	}
	zk, err := b.zookeeperImage(ctx)
	if err != nil {
		return nil, err
	}
	specs, err := WorkloadImages(rootfs, version, zk)
	if err != nil {
		return nil, err
	}
	for _, s := range specs {
		if err := b.buildImage(ctx, s); err != nil {
			return nil, err
		}
	}
	return Names(specs), nil
}

// NodeImage builds the hermetic node image for Kubernetes version v and
// returns its name.
func (b *Builder) NodeImage(ctx context.Context, v Version) (string, error) {
	if err := b.dockerAnswers(ctx); err != nil {
		return "", err
	}
	kindDir, err := b.kindModuleDir(ctx)
	if err != nil {
		return "", err
	}
	kubeBin, err := b.kubernetes(ctx, v)
	if err != nil {
		return "", err
	}
	listed, err := b.run.run(ctx, "kubeadm config images list", cmdOpts{}, filepath.Join(kubeBin, "kubeadm"), "config", "images", "list", "--kubernetes-version", v.String())
	if err != nil {
		return "", err
	}
	comps, err := ParseKubeadmImages(listed)
	if err != nil {
		return "", err
	}
	etcdVersion, err := EtcdModuleVersion(comps.Etcd)
	if err != nil {
		return "", err
	}
	coreDNSVersion, err := CoreDNSModuleVersion(comps.CoreDNS)
	if err != nil {
		return "", err
	}
	etcdDir, err := b.etcd(ctx, etcdVersion)
	if err != nil {
		return "", err
	}
	coredns, err := b.goInstall(ctx, "coredns", "github.com/coredns/coredns", coreDNSVersion)
	if err != nil {
		return "", err
	}
	localPath, err := b.goInstall(ctx, "local-path-provisioner", "github.com/rancher/local-path-provisioner", LocalPathVersion)
	if err != nil {
		return "", err
	}
	bins := map[string]string{"etcd": filepath.Join(etcdDir, "etcd"), "coredns": coredns, "local-path-provisioner": localPath}
	for _, c := range KubernetesBinaries {
		bins[c] = filepath.Join(kubeBin, c)
	}
	for _, c := range []string{"pause", "podnet", "capwrap"} {
		if bins[c], err = b.repoBinary(ctx, c); err != nil {
			return "", err
		}
	}
	proxyRootfs, err := b.rootfs(ctx, "kube-proxy", "essential", ProxyPackages, nil)
	if err != nil {
		return "", err
	}
	nodeRootfs, err := b.rootfs(ctx, "node", "minbase", NodePackages, nodeHooks)
	if err != nil {
		return "", err
	}
	workloads, err := b.Workloads(ctx)
	if err != nil {
		return "", err
	}
	specs := ControlPlaneImages(v, comps, bins, proxyRootfs)
	for _, s := range specs {
		if err := b.buildImage(ctx, s); err != nil {
			return "", err
		}
	}
	// The node carries busybox too: it is the local-path helper image.
	busybox, err := busyboxImage()
	if err != nil {
		return "", err
	}
	preload := append(Names(specs), busybox)

	spec, err := b.run.run(ctx, "ctr oci spec", cmdOpts{}, "ctr", "oci", "spec")
	if err != nil {
		return "", err
	}
	criSpec, err := CRIBaseSpec([]byte(spec))
	if err != nil {
		return "", err
	}
	storage, err := KindStorageManifest(kindDir, LocalRepo+"/local-path-provisioner:"+LocalPathVersion, busybox)
	if err != nil {
		return "", err
	}
	overlay, err := NodeOverlay{
		KindDir: kindDir, Version: v, KubeBin: kubeBin, Wrapper: bins["capwrap"],
		CRIBaseSpec: criSpec, CNIManifest: []byte(podnet.DefaultCNIManifest), StorageManifest: []byte(storage),
	}.Tree()
	if err != nil {
		return "", err
	}
	key := NewKey(recipe, v.String(), nodeRootfs, strings.Join(preload, ","))
	for _, s := range specs {
		sk, err := specKey(s)
		if err != nil {
			return "", err
		}
		key.Add(sk)
	}
	if err := hashFile(key, filepath.Join(kubeBin, "kubelet")); err != nil {
		return "", err
	}
	if err := overlay.WriteTar(key); err != nil {
		return "", err
	}
	key.Add(strings.Join(workloads, ","))
	key.Add(b.imageKey(ctx, busybox))
	name := NodeImage(v)
	if b.upToDate(ctx, []string{name}, key.String()) {
		b.run.progress("node image %s is up to date", name)
		return name, nil
	}
	if err := b.assembleNode(ctx, name, key.String(), nodeRootfs, overlay, preload); err != nil {
		return "", err
	}
	b.run.progress("built node image %s", name)
	return name, nil
}

// kindModuleDir finds the sigs.k8s.io/kind module this repository requires:
// its base files must match the kind library that creates the cluster.
func (b *Builder) kindModuleDir(ctx context.Context) (string, error) {
	out, err := b.run.run(ctx, "locate kind module", cmdOpts{dir: b.RepoRoot}, "go", "list", "-m", "-f", "{{.Dir}}", "sigs.k8s.io/kind")
	dir := strings.TrimSpace(out)
	if err == nil && dir == "" {
		if _, err = b.run.run(ctx, "download kind module", cmdOpts{dir: b.RepoRoot}, "go", "mod", "download", "sigs.k8s.io/kind"); err == nil {
			out, err = b.run.run(ctx, "locate kind module", cmdOpts{dir: b.RepoRoot}, "go", "list", "-m", "-f", "{{.Dir}}", "sigs.k8s.io/kind")
			dir = strings.TrimSpace(out)
		}
	}
	if err != nil {
		return "", err
	}
	if dir == "" {
		return "", errors.New("the sigs.k8s.io/kind module is not in the module cache and could not be downloaded")
	}
	return dir, nil
}
