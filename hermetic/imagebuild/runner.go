package imagebuild

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/stsconform/stsconform/fixtures"
	"github.com/stsconform/stsconform/incluster/layout"
)

// RoleRunner is the role (fixtures/images.yaml) of the runner image: the
// compiled suite, the Ginkgo CLI and the entrypoint on busybox (hydrophone
// execs sh and cat in it). It is built from this repository's code, apart
// from the workload images.
const RoleRunner = "runner"

// RunnerInput says how the suite in the runner image is stamped.
type RunnerInput struct {
	// SuiteLDFlags are the -ldflags of the suite's build (its version and
	// commit for the certification report).
	SuiteLDFlags string
}

// RunnerImage builds the runner image and returns its name. The suite, Ginkgo
// and the entrypoint are compiled each time (Go's build cache makes an
// unchanged build quick); the image is rebuilt only when one of them changed.
func (b *Builder) RunnerImage(ctx context.Context, in RunnerInput) (string, error) {
	if err := b.dockerAnswers(ctx); err != nil {
		return "", err
	}
	names, err := fixtures.DefaultImages()
	if err != nil {
		return "", err
	}
	ref := names[RoleRunner]
	if ref == "" {
		return "", fmt.Errorf("fixtures/%s names no %s image", fixtures.ImagesFile, RoleRunner)
	}
	t, bb, _, err := b.busyboxTree(ctx)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(b.cache.Dir, "runner")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	bins := map[string]string{
		layout.Ginkgo:     filepath.Join(dir, "ginkgo"),
		layout.Entrypoint: filepath.Join(dir, "stsconform-runner"),
		layout.Suite:      filepath.Join(dir, "statefulset.test"),
	}
	o := cmdOpts{dir: b.RepoRoot, env: goEnv}
	steps := [][]string{
		{"go", "build", "-trimpath", "-o", bins[layout.Ginkgo], "github.com/onsi/ginkgo/v2/ginkgo"},
		{"go", "build", "-trimpath", "-ldflags", "-s -w", "-o", bins[layout.Entrypoint], "./cmd/stsconform-runner"},
		{"go", "test", "-c", "-tags", "e2e", "-trimpath", "-ldflags", in.SuiteLDFlags, "-o", bins[layout.Suite], "./suites/statefulset"},
	}
	for _, s := range steps {
		b.run.progress("compiling %s", s[len(s)-1])
		if _, err := b.run.run(ctx, strings.Join(s[:3], " ")+" "+s[len(s)-1], o, s[0], s[1:]...); err != nil {
			return "", err
		}
	}
	key := NewKey(recipe)
	for _, p := range []string{layout.Ginkgo, layout.Entrypoint, layout.Suite} {
		t.HostFile(p, 0o755, bins[p])
		key.Add(p)
		if err := key.AddFile(bins[p]); err != nil {
			return "", err
		}
	}
	if err := key.AddFile(bb); err != nil {
		return "", err
	}
	// Named by the hash of its content: the image key hashes a large
	// tarball by its name and size only.
	rootfs := filepath.Join(dir, "rootfs-"+key.String()+".tar")
	if _, err := os.Stat(rootfs); err != nil {
		stale, _ := filepath.Glob(filepath.Join(dir, "rootfs-*.tar"))
		for _, s := range stale {
			_ = os.Remove(s)
		}
		if err := t.WriteTarFile(rootfs); err != nil {
			return "", err
		}
	}
	spec := ImageSpec{Names: []string{ref}, BaseTar: rootfs, Entrypoint: []string{layout.Entrypoint}}
	if err := b.buildImage(ctx, spec); err != nil {
		return "", err
	}
	return ref, nil
}
