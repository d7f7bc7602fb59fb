package imagebuild

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KeyLabel carries the hash of an image's inputs: an image whose label
// matches is reused as it is.
const KeyLabel = "io.stsconform.inputs"

func (b *Builder) imageKey(ctx context.Context, name string) string {
	out, err := b.run.run(ctx, "inspect "+name, cmdOpts{}, "docker", "image", "inspect", "-f", `{{index .Config.Labels "`+KeyLabel+`"}}`, name)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(out)
}

// upToDate reports whether every name exists with the given input key.
func (b *Builder) upToDate(ctx context.Context, names []string, key string) bool {
	for _, n := range names {
		if b.imageKey(ctx, n) != key {
			return false
		}
	}
	return true
}

// dockerfile renders the Dockerfile of a simple image.
func dockerfile(spec ImageSpec, key string) string {
	var d strings.Builder
	d.WriteString("FROM scratch\n")
	if spec.BaseTar != "" {
		d.WriteString("ADD base.tar /\n")
	}
	if spec.Binary != "" {
		fmt.Fprintf(&d, "COPY bin %s\n", spec.BinaryPath)
	}
	for _, f := range spec.ExtraFiles {
		fmt.Fprintf(&d, "COPY %s %s\n", f.ContextName, f.Path)
	}
	d.WriteString("ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n")
	if len(spec.Entrypoint) > 0 {
		fmt.Fprintf(&d, "ENTRYPOINT [%s]\n", quoteList(spec.Entrypoint))
	}
	if len(spec.Cmd) > 0 {
		fmt.Fprintf(&d, "CMD [%s]\n", quoteList(spec.Cmd))
	}
	fmt.Fprintf(&d, "LABEL %s=%s\n", KeyLabel, key)
	return d.String()
}

func quoteList(l []string) string {
	q := make([]string, len(l))
	for i, s := range l {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// specKey hashes everything an image is made of.
func specKey(spec ImageSpec) (string, error) {
	k := NewKey(recipe, strings.Join(spec.Names, ","), strings.Join(spec.Entrypoint, " "), strings.Join(spec.Cmd, " "), spec.BinaryPath)
	for _, p := range []string{spec.Binary, spec.BaseTar} {
		if p == "" {
			continue
		}
		if err := hashFile(k, p); err != nil {
			return "", err
		}
	}
	for _, f := range spec.ExtraFiles {
		k.Add(f.Path).Add(string(f.Data))
	}
	return k.String(), nil
}

func hashFile(k *Key, p string) error {
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	// Large tarballs are named by their cache entry, which is already a
	// hash of their inputs; hashing gigabytes on every warm run is waste.
	if fi.Size() > 64<<20 {
		k.Add(p).Add(fmt.Sprint(fi.Size()))
		return nil
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	k.Add(string(b))
	return nil
}

// buildImage builds spec with the classic builder (nothing is pulled for a
// FROM scratch image) unless an image with the same inputs exists.
func (b *Builder) buildImage(ctx context.Context, spec ImageSpec) error {
	key, err := specKey(spec)
	if err != nil {
		return err
	}
	if b.upToDate(ctx, spec.Names, key) {
		return nil
	}
	b.run.progress("building image %s", strings.Join(spec.Names, ", "))
	dir, err := os.MkdirTemp(b.cache.Dir, "image-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	link := func(src, name string) error {
		if err := os.Link(src, filepath.Join(dir, name)); err == nil {
			return nil
		}
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, name), data, 0o755)
	}
	if spec.BaseTar != "" {
		if err := link(spec.BaseTar, "base.tar"); err != nil {
			return err
		}
	}
	if spec.Binary != "" {
		if err := link(spec.Binary, "bin"); err != nil {
			return err
		}
	}
	for _, f := range spec.ExtraFiles {
		if err := os.WriteFile(filepath.Join(dir, f.ContextName), f.Data, 0o644); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile(spec, key)), 0o644); err != nil {
		return err
	}
	// Build under a temporary tag and move the real names only on success,
	// so that no half-built image carries a good name.
	tmpTag := fmt.Sprintf("%s/tmp:%s", LocalRepo, key)
	if _, err := b.run.run(ctx, "docker build "+spec.Names[0], cmdOpts{dir: dir, env: []string{"DOCKER_BUILDKIT=0"}}, "docker", "build", "-q", "-t", tmpTag, "."); err != nil {
		return err
	}
	for _, n := range spec.Names {
		if _, err := b.run.run(ctx, "docker tag "+n, cmdOpts{}, "docker", "tag", tmpTag, n); err != nil {
			return err
		}
	}
	_, err = b.run.run(ctx, "docker untag "+tmpTag, cmdOpts{}, "docker", "rmi", tmpTag)
	return err
}
