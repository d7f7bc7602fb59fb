package imagebuild

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
)

// recipe is bumped when a build recipe changes in a way its inputs do not show.
const recipe = "1"

// goEnv is the environment of every Go build here: static binaries, no VCS
// stamping (module caches are not repositories).
var goEnv = []string{"CGO_ENABLED=0", "GOFLAGS=-mod=mod -buildvcs=false", "GOOS=linux", "GOARCH=" + runtime.GOARCH}

// moduleDir downloads a module version and returns its directory.
func (b *Builder) moduleDir(ctx context.Context, path, version string) (string, error) {
	out, err := b.run.run(ctx, "download "+path+"@"+version, cmdOpts{dir: os.TempDir()}, "go", "mod", "download", "-json", path+"@"+version)
	var info struct{ Dir, Error string }
	_ = json.Unmarshal([]byte(out), &info)
	if err != nil || info.Dir == "" {
		if se, ok := err.(*StepError); ok {
			se.Cause = fmt.Sprintf("the Go module proxy does not serve %s@%s", path, version)
			if info.Error != "" {
				se.Cause += ": " + firstLine(info.Error)
			}
			return "", se
		}
		return "", fmt.Errorf("go mod download %s@%s: no directory in %q", path, version, out)
	}
	return info.Dir, nil
}

var stagingReplaceRE = regexp.MustCompile(`(?m)^(\s*)(k8s\.io/[A-Za-z0-9._-]+) => \./staging/src/k8s\.io/[A-Za-z0-9._-]+\s*$`)

// RewriteStagingReplaces points each k8s.io/X => ./staging/src/k8s.io/X
// replace at the released module: the k8s.io/kubernetes module zip carries
// no staging/ tree.
func RewriteStagingReplaces(gomod string, staging string) (string, int) {
	n := 0
	out := stagingReplaceRE.ReplaceAllStringFunc(gomod, func(m string) string {
		n++
		sub := stagingReplaceRE.FindStringSubmatch(m)
		return fmt.Sprintf("%s%s => %s %s", sub[1], sub[2], sub[2], staging)
	})
	return out, n
}

// KubernetesBinaries are the commands the node image and its images carry.
var KubernetesBinaries = []string{"kubelet", "kubeadm", "kubectl", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kube-proxy"}

func versionLDFlags(v Version) string {
	var parts []string
	for _, p := range []string{"k8s.io/component-base/version", "k8s.io/client-go/pkg/version"} {
		parts = append(parts,
			"-X", p+".gitVersion="+v.String(),
			"-X", fmt.Sprintf("%s.gitMajor=%d", p, v.Major),
			"-X", fmt.Sprintf("%s.gitMinor=%d", p, v.Minor),
			"-X", p+".gitTreeState=clean")
	}
	return "-s -w " + strings.Join(parts, " ")
}

// kubernetes builds the Kubernetes binaries of version v from the module.
func (b *Builder) kubernetes(ctx context.Context, v Version) (string, error) {
	key := NewKey(recipe, v.String(), runtime.Version()).String()
	return b.cache.Build("kubernetes", v.String()+"-"+key, func(out string) error {
		b.run.progress("building Kubernetes %s binaries from the k8s.io/kubernetes module (cold: about 7 min on 2 cores)", v)
		mod, err := b.moduleDir(ctx, "k8s.io/kubernetes", v.String())
		if err != nil {
			if se, ok := err.(*StepError); ok {
				se.Cause = fmt.Sprintf("unknown Kubernetes version %s: %s", v, se.Cause)
			}
			return err
		}
		src := filepath.Join(b.cache.Dir, "src", "kubernetes-"+v.String())
		if err := os.RemoveAll(src); err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(src), 0o755); err != nil {
			return err
		}
		if _, err := b.run.run(ctx, "copy kubernetes source", cmdOpts{}, "cp", "-r", mod, src); err != nil {
			return err
		}
		if _, err := b.run.run(ctx, "chmod kubernetes source", cmdOpts{}, "chmod", "-R", "u+w", src); err != nil {
			return err
		}
		for _, p := range []string{"vendor", "go.work", "go.work.sum"} {
			if err := os.RemoveAll(filepath.Join(src, p)); err != nil {
				return err
			}
		}
		gomod, err := os.ReadFile(filepath.Join(src, "go.mod"))
		if err != nil {
			return err
		}
		rewritten, n := RewriteStagingReplaces(string(gomod), v.Staging())
		if n == 0 {
			return fmt.Errorf("k8s.io/kubernetes@%s go.mod has no ./staging replaces to rewrite; the build recipe does not know this layout", v)
		}
		if err := os.WriteFile(filepath.Join(src, "go.mod"), []byte(rewritten), 0o644); err != nil {
			return err
		}
		args := []string{"build", "-trimpath", "-ldflags", versionLDFlags(v), "-o", out + "/"}
		for _, c := range KubernetesBinaries {
			args = append(args, "./cmd/"+c)
		}
		if _, err := b.run.run(ctx, "build kubernetes "+v.String(), cmdOpts{dir: src, env: goEnv}, "go", args...); err != nil {
			return err
		}
		return os.RemoveAll(src)
	})
}

const etcdMain = `package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
`

// etcd builds the etcd server of the given module version.
func (b *Builder) etcd(ctx context.Context, version string) (string, error) {
	key := NewKey(recipe, version, runtime.Version()).String()
	return b.cache.Build("etcd", version+"-"+key, func(out string) error {
		b.run.progress("building etcd %s", version)
		src, err := os.MkdirTemp(b.cache.Dir, "etcd-src-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(src)
		if err := os.WriteFile(filepath.Join(src, "main.go"), []byte(etcdMain), 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(src, "go.mod"), []byte("module stsconform.local/etcd\n\ngo 1.24\n"), 0o644); err != nil {
			return err
		}
		o := cmdOpts{dir: src, env: goEnv}
		if _, err := b.run.run(ctx, "etcd go get", o, "go", "get", "go.etcd.io/etcd/server/v3@"+version); err != nil {
			return err
		}
		if _, err := b.run.run(ctx, "etcd go mod tidy", o, "go", "mod", "tidy"); err != nil {
			return err
		}
		_, err = b.run.run(ctx, "build etcd", o, "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", filepath.Join(out, "etcd"), ".")
		return err
	})
}

// goInstall builds module@version's main package into a cache entry.
func (b *Builder) goInstall(ctx context.Context, name, pkg, version string) (string, error) {
	key := NewKey(recipe, pkg, version, runtime.Version()).String()
	dir, err := b.cache.Build(name, version+"-"+key, func(out string) error {
		b.run.progress("building %s %s", name, version)
		env := append([]string{"GOBIN=" + out}, goEnv...)
		_, err := b.run.run(ctx, "build "+name, cmdOpts{dir: os.TempDir(), env: env}, "go", "install", "-trimpath", "-ldflags", "-s -w", pkg+"@"+version)
		return err
	})
	return filepath.Join(dir, filepath.Base(pkg)), err
}

// repoBinary builds one of this repository's commands. The key covers the
// whole module source, so any change rebuilds it.
func (b *Builder) repoBinary(ctx context.Context, name string) (string, error) {
	out := filepath.Join(b.cache.Dir, "repo-bin")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", err
	}
	bin := filepath.Join(out, name)
	_, err := b.run.run(ctx, "build "+name, cmdOpts{dir: b.RepoRoot, env: goEnv}, "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", bin, "./hermetic/cmd/"+name)
	return bin, err
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}
