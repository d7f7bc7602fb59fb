package imagebuild

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/stsconform/stsconform/fixtures"
)

// busyboxBinary fetches Debian's busybox-static and returns its binary and
// its package version.
func (b *Builder) busyboxBinary(ctx context.Context) (bin, version string, err error) {
	dir, err := b.cache.Build("busybox-static", NewKey(recipe).String(), func(out string) error {
		b.run.progress("fetching Debian's busybox-static package")
		o := cmdOpts{dir: out}
		if _, err := b.run.run(ctx, "apt-get download busybox-static", o, "apt-get", "download", "busybox-static"); err != nil {
			if os.Geteuid() != 0 {
				return err
			}
			if _, err := b.run.run(ctx, "apt-get update", cmdOpts{}, "apt-get", "update", "-q"); err != nil {
				return err
			}
			if _, err := b.run.run(ctx, "apt-get download busybox-static", o, "apt-get", "download", "busybox-static"); err != nil {
				return err
			}
		}
		debs, _ := filepath.Glob(filepath.Join(out, "busybox-static_*.deb"))
		if len(debs) != 1 {
			return fmt.Errorf("apt-get download busybox-static left %d packages in %s", len(debs), out)
		}
		if _, err := b.run.run(ctx, "extract busybox-static", o, "dpkg-deb", "-x", debs[0], filepath.Join(out, "x")); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(out, "version"), []byte(DebUpstreamVersion(filepath.Base(debs[0]))), 0o644)
	})
	if err != nil {
		return "", "", err
	}
	v, err := os.ReadFile(filepath.Join(dir, "version"))
	return filepath.Join(dir, "x", "bin", "busybox"), string(v), err
}

// DebUpstreamVersion extracts the upstream version from a .deb file name:
// busybox-static_1%3a1.35.0-4+deb12u1+b1_amd64.deb gives 1.35.0.
func DebUpstreamVersion(file string) string {
	parts := strings.Split(strings.TrimSuffix(file, ".deb"), "_")
	if len(parts) < 2 {
		return ""
	}
	v := parts[1]
	if i := strings.Index(v, "%3a"); i >= 0 {
		v = v[i+3:]
	}
	if i := strings.Index(v, ":"); i >= 0 {
		v = v[i+1:]
	}
	if i := strings.LastIndex(v, "-"); i >= 0 {
		v = v[:i]
	}
	return v
}

// busyboxRootfs writes a root file system of busybox and its applets.
func (b *Builder) busyboxRootfs(ctx context.Context) (string, string, error) {
	t, bin, version, err := b.busyboxTree(ctx)
	if err != nil {
		return "", "", err
	}
	p := filepath.Join(filepath.Dir(filepath.Dir(bin)), "rootfs.tar")
	return p, version, t.WriteTarFile(p)
}

// busyboxTree is Debian's busybox laid out with its applets, and the binary
// and package version it was made from.
func (b *Builder) busyboxTree(ctx context.Context) (t *Tree, bin, version string, err error) {
	bin, version, err = b.busyboxBinary(ctx)
	if err != nil {
		return nil, "", "", err
	}
	out, err := b.run.run(ctx, "busybox --list", cmdOpts{}, bin, "--list")
	if err != nil {
		return nil, "", "", err
	}
	return BusyboxTree(bin, strings.Fields(out)), bin, version, nil
}

// BusyboxTree lays out busybox with one symlink per applet.
func BusyboxTree(binary string, applets []string) *Tree {
	t := NewTree()
	t.HostFile("bin/busybox", 0o755, binary)
	for _, a := range applets {
		if a != "busybox" {
			t.Symlink("bin/"+a, "busybox")
		}
	}
	t.File("etc/passwd", 0o644, []byte("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"))
	t.File("etc/group", 0o644, []byte("root:x:0:\nnogroup:x:65534:\n"))
	t.File("etc/nsswitch.conf", 0o644, []byte("hosts: files dns\n"))
	t.Dir("tmp", 0o1777)
	t.Dir("root", 0o700)
	t.Dir("data", 0o755)
	return t
}

// WorkloadImages are the images the suites run, one per role of
// fixtures/images.yaml (where their names are written): busybox for probes
// and clients, a small web server in two versions for rolling updates, and
// ZooKeeper (its recipe, zookeeper, is built apart: it needs the network of
// Debian's packages, the others only busybox).
func WorkloadImages(busyboxRootfs, busyboxVersion string, zookeeper ImageSpec) ([]ImageSpec, error) {
	names, err := fixtures.DefaultImages()
	if err != nil {
		return nil, err
	}
	web := func(version string) ImageSpec {
		return ImageSpec{
			BaseTar: busyboxRootfs,
			ExtraFiles: []ExtraFile{
				{ContextName: "version", Path: "/www/version", Data: []byte(version + "\n")},
				{ContextName: "index.html", Path: "/www/index.html", Data: []byte("stsconform web " + version + "\n")},
			},
			Cmd: []string{"httpd", "-f", "-p", "8080", "-h", "/www"},
		}
	}
	recipes := map[string]ImageSpec{
		RoleBusybox: {
			BaseTar:    busyboxRootfs,
			ExtraFiles: []ExtraFile{{ContextName: "busybox-version", Path: "/etc/busybox-version", Data: []byte(busyboxVersion + "\n")}},
			Cmd:        []string{"sh"},
		},
		"web-v1":      web("1"),
		"web-v2":      web("2"),
		RoleZooKeeper: zookeeper,
	}
	var out []ImageSpec
	for _, role := range slices.Sorted(maps.Keys(names)) {
		if role == RoleRunner {
			continue // RunnerImage: built from this repository's code
		}
		spec, ok := recipes[role]
		if !ok {
			return nil, fmt.Errorf("fixtures/%s names role %q, which the hermetic build has no recipe for", fixtures.ImagesFile, role)
		}
		spec.Names = []string{names[role]}
		out = append(out, spec)
		delete(recipes, role)
	}
	if len(recipes) > 0 {
		return nil, fmt.Errorf("the hermetic build has recipes for roles %v, which fixtures/%s does not name", slices.Sorted(maps.Keys(recipes)), fixtures.ImagesFile)
	}
	return out, nil
}

// RoleZooKeeper is the role (fixtures/images.yaml) of the ZooKeeper image.
const RoleZooKeeper = "zookeeper"

// RoleBusybox is the role (fixtures/images.yaml) of the busybox image, which
// the node image also carries as local-path-provisioner's helper image.
const RoleBusybox = "busybox"

// busyboxImage is the reference of RoleBusybox.
func busyboxImage() (string, error) {
	names, err := fixtures.DefaultImages()
	if err != nil {
		return "", err
	}
	if names[RoleBusybox] == "" {
		return "", fmt.Errorf("fixtures/%s names no %s image", fixtures.ImagesFile, RoleBusybox)
	}
	return names[RoleBusybox], nil
}
