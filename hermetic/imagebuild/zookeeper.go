package imagebuild

import (
	"context"
	"debug/elf"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	zkimage "github.com/stsconform/stsconform/hermetic/zookeeperimage"
)

// zookeeperImage builds the root file system of the ZooKeeper image (cached
// by the exact Debian versions it is made of) and returns its spec.
func (b *Builder) zookeeperImage(ctx context.Context) (ImageSpec, error) {
	bb, bbVersion, err := b.busyboxBinary(ctx)
	if err != nil {
		return ImageSpec{}, err
	}
	versions, err := b.debVersions(ctx, zkimage.Packages)
	if err != nil {
		return ImageSpec{}, err
	}
	key := NewKey(recipe, "zookeeper", strings.Join(versions, ","), strings.Join(zkimage.Jars, ","),
		strings.Join(zkimage.JavaModules, ","), bbVersion)
	dir, err := b.cache.Build("zookeeper-rootfs", key.String(), func(out string) error {
		b.run.progress("building the ZooKeeper root file system from Debian packages (%s)", strings.Join(versions, " "))
		return b.zookeeperRootfs(ctx, out, bb, versions)
	})
	if err != nil {
		return ImageSpec{}, err
	}
	return ZooKeeperImage(filepath.Join(dir, "rootfs.tar")), nil
}

// ZooKeeperImage is the image spec over a root file system made by
// zookeeperRootfs: the start script is added on top, so that changing it
// does not rebuild the runtime. WorkloadImages names it.
func ZooKeeperImage(rootfs string) ImageSpec {
	return ImageSpec{
		BaseTar:    rootfs,
		ExtraFiles: []ExtraFile{{ContextName: "zk-start", Path: zkimage.StartPath, Data: []byte(zkimage.StartScript)}},
		Cmd:        []string{"sh", zkimage.StartPath},
	}
}

// zookeeperRootfs downloads the packages, extracts them, makes a jlink
// runtime of the modules ZooKeeper needs and lays out the image: busybox,
// the runtime, the jars and exactly the shared libraries the runtime links.
// Only rootfs.tar is kept.
func (b *Builder) zookeeperRootfs(ctx context.Context, out, busybox string, versions []string) error {
	debs, x, jre := filepath.Join(out, "debs"), filepath.Join(out, "x"), filepath.Join(out, "jre")
	defer func() {
		for _, d := range []string{debs, x, jre} {
			os.RemoveAll(d)
		}
	}()
	if err := os.MkdirAll(debs, 0o755); err != nil {
		return err
	}
	if _, err := b.run.run(ctx, "apt-get download zookeeper packages", cmdOpts{dir: debs}, "apt-get", append([]string{"download"}, versions...)...); err != nil {
		return err
	}
	files, _ := filepath.Glob(filepath.Join(debs, "*.deb"))
	if len(files) != len(versions) {
		return fmt.Errorf("apt-get download of %d packages left %d files in %s", len(versions), len(files), debs)
	}
	for _, f := range files {
		if _, err := b.run.run(ctx, "extract "+filepath.Base(f), cmdOpts{}, "dpkg-deb", "-x", f, x); err != nil {
			return err
		}
	}
	// Debian's JDK links its configuration to /etc/java-17-openjdk; run from
	// the extraction directory, jlink must read the packaged files, not the
	// host's (which may not exist).
	if err := RelinkAbsolute(x); err != nil {
		return err
	}
	// Debian also links java-1.17.0-openjdk-amd64 to the JDK's directory.
	var jlinks []string
	matches, _ := filepath.Glob(filepath.Join(x, "usr/lib/jvm/*/bin/jlink"))
	for _, m := range matches {
		if fi, err := os.Lstat(filepath.Dir(filepath.Dir(m))); err == nil && fi.Mode()&fs.ModeSymlink == 0 {
			jlinks = append(jlinks, m)
		}
	}
	if len(jlinks) != 1 {
		return fmt.Errorf("want one jlink in the extracted JDK, found %v", jlinks)
	}
	jdk := filepath.Dir(filepath.Dir(jlinks[0]))
	b.run.progress("linking a Java runtime of %s", strings.Join(zkimage.JavaModules, ","))
	if _, err := b.run.run(ctx, "jlink zookeeper runtime", cmdOpts{}, jlinks[0],
		"--module-path", filepath.Join(jdk, "jmods"), "--add-modules", strings.Join(zkimage.JavaModules, ","),
		"--strip-debug", "--no-header-files", "--no-man-pages", "--compress=2", "--output", jre); err != nil {
		return err
	}

	applets, err := b.run.run(ctx, "busybox --list", cmdOpts{}, busybox, "--list")
	if err != nil {
		return err
	}
	t := BusyboxTree(busybox, strings.Fields(applets))
	home := strings.TrimPrefix(zkimage.JavaHome, "/")
	if err := AddHostDir(t, home, jre); err != nil {
		return err
	}
	t.Symlink("usr/local/bin/java", zkimage.JavaHome+"/bin/java")
	for _, j := range zkimage.Jars {
		src := filepath.Join(x, "usr/share/java", j)
		if _, err := os.Stat(src); err != nil {
			return fmt.Errorf("jar %s is in none of the packages %v: %w", j, zkimage.Packages, err)
		}
		t.HostFile(path.Join(strings.TrimPrefix(zkimage.LibDir, "/"), j), 0o644, src)
	}
	elfs, err := elfFiles(jre)
	if err != nil {
		return err
	}
	libs, err := SharedLibraries(elfs, []string{x}, jre)
	if err != nil {
		return err
	}
	for _, l := range libs {
		t.HostFile(l.ImagePath, 0o755, l.HostPath)
	}
	t.Dir(strings.TrimPrefix(zkimage.DataVolume, "/"), 0o755)
	t.Dir("opt/zookeeper/conf", 0o755)
	return t.WriteTarFile(filepath.Join(out, "rootfs.tar"))
}

// debVersions pins each package to its candidate version, so that the cache
// key names exactly what goes into the image and a Debian update rebuilds it.
// The answer is cached by the state of apt's lists and preferences: asking
// apt-cache takes 1.5 s on hosts that keep no package cache (Debian's
// container images), which would be most of a warm build.
func (b *Builder) debVersions(ctx context.Context, pkgs []string) ([]string, error) {
	show := func() (string, error) {
		return b.run.run(ctx, "apt-cache show", cmdOpts{}, "apt-cache", append([]string{"show", "--no-all-versions"}, pkgs...)...)
	}
	update := func() error {
		_, err := b.run.run(ctx, "apt-get update", cmdOpts{}, "apt-get", "update", "-q")
		return err
	}
	state, err := aptState()
	if err != nil {
		return nil, err
	}
	if state == "" && os.Geteuid() == 0 {
		if err := update(); err != nil {
			return nil, err
		}
		if state, err = aptState(); err != nil {
			return nil, err
		}
	}
	var versions []string
	dir, err := b.cache.Build("deb-versions", NewKey(recipe, state, strings.Join(pkgs, ",")).String(), func(out string) error {
		o, err := show()
		if err != nil && os.Geteuid() == 0 {
			if uerr := update(); uerr != nil {
				return uerr
			}
			o, err = show()
		}
		if err != nil {
			return err
		}
		if versions, err = PinVersions(pkgs, ParseAptCacheShow(o)); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(out, "versions"), []byte(strings.Join(versions, "\n")), 0o644)
	})
	if err != nil {
		return nil, err
	}
	if versions == nil {
		b, err := os.ReadFile(filepath.Join(dir, "versions"))
		if err != nil {
			return nil, err
		}
		versions = strings.Split(string(b), "\n")
	}
	return versions, nil
}

// aptState names the state apt-cache answers from: the name, size and time
// of every package list and preferences file. "" means there are no lists
// (apt-get update has never run).
func aptState() (string, error) {
	var parts []string
	lists, _ := filepath.Glob("/var/lib/apt/lists/*_Packages*")
	if len(lists) == 0 {
		return "", nil
	}
	prefs, _ := filepath.Glob("/etc/apt/preferences.d/*")
	for _, p := range append(append(lists, "/etc/apt/preferences"), prefs...) {
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		parts = append(parts, fmt.Sprintf("%s:%d:%d", p, fi.Size(), fi.ModTime().UnixNano()))
	}
	sort.Strings(parts)
	return strings.Join(parts, ";"), nil
}

// ParseAptCacheShow reads the Package and Version fields of each record.
func ParseAptCacheShow(out string) map[string]string {
	v := map[string]string{}
	var pkg string
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "Package: "):
			pkg = strings.TrimSpace(strings.TrimPrefix(line, "Package: "))
		case strings.HasPrefix(line, "Version: ") && pkg != "":
			if _, seen := v[pkg]; !seen {
				v[pkg] = strings.TrimSpace(strings.TrimPrefix(line, "Version: "))
			}
		case line == "":
			pkg = ""
		}
	}
	return v
}

// PinVersions returns pkg=version for each package, in the given order.
func PinVersions(pkgs []string, versions map[string]string) ([]string, error) {
	out := make([]string, 0, len(pkgs))
	var missing []string
	for _, p := range pkgs {
		v, ok := versions[p]
		if !ok {
			missing = append(missing, p)
			continue
		}
		out = append(out, p+"="+v)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("a Debian package is missing: apt-cache knows no candidate for %s", strings.Join(missing, ", "))
	}
	return out, nil
}

// RelinkAbsolute rewrites every absolute symbolic link under root that
// points into root's own tree (as extracted packages do: /etc/...) into a
// relative link within root. Links to paths root lacks are left alone.
func RelinkAbsolute(root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.Type()&fs.ModeSymlink == 0 {
			return err
		}
		target, err := os.Readlink(p)
		if err != nil || !filepath.IsAbs(target) {
			return err
		}
		inside := filepath.Join(root, target)
		if _, err := os.Lstat(inside); err != nil {
			return nil
		}
		rel, err := filepath.Rel(filepath.Dir(p), inside)
		if err != nil {
			return err
		}
		if err := os.Remove(p); err != nil {
			return err
		}
		return os.Symlink(rel, p)
	})
}

// AddHostDir adds the files, links and directories under dir to the tree
// at prefix, keeping their permission bits.
func AddHostDir(t *Tree, prefix, dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		dst := path.Join(prefix, filepath.ToSlash(rel))
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			t.Symlink(dst, target)
		case d.IsDir():
			t.Dir(dst, int64(info.Mode().Perm()))
		case d.Type().IsRegular():
			t.HostFile(dst, int64(info.Mode().Perm()), p)
		default:
			return fmt.Errorf("%s: unsupported file type %s", p, d.Type())
		}
		return nil
	})
}

// elfFiles lists the regular files under dir that are ELF objects.
func elfFiles(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		f, err := elf.Open(p)
		if err != nil {
			return nil
		}
		f.Close()
		out = append(out, p)
		return nil
	})
	return out, err
}

// SharedLib is a shared library an image needs: where it is found among the
// extracted packages and where it goes in the image.
type SharedLib struct {
	Name      string // soname, or the interpreter's path
	HostPath  string
	ImagePath string
}

// libDirs are where Debian's packages put shared libraries and where the
// dynamic loader looks for them without an ld.so.cache.
var libDirs = []string{"lib/x86_64-linux-gnu", "usr/lib/x86_64-linux-gnu", "lib/aarch64-linux-gnu", "usr/lib/aarch64-linux-gnu", "lib", "usr/lib"}

// SharedLibraries follows DT_NEEDED from the given ELF files through the
// package trees in roots and returns every library they need, and the
// dynamic loader, each once. Names found in own (the runtime's directory,
// reached through its $ORIGIN run path) are not looked up.
func SharedLibraries(files []string, roots []string, own string) ([]SharedLib, error) {
	ownNames := map[string]bool{}
	for _, f := range files {
		if strings.HasPrefix(f, own) {
			ownNames[filepath.Base(f)] = true
		}
	}
	found := map[string]SharedLib{}
	var missing []string
	queue := append([]string{}, files...)
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		needed, interp, err := elfNeeds(f)
		if err != nil {
			return nil, err
		}
		if interp != "" {
			if _, ok := found[interp]; !ok {
				host := findLib(roots, []string{strings.TrimPrefix(interp, "/")}, "")
				if host == "" {
					host = findLib(roots, libDirs, path.Base(interp))
				}
				if host == "" {
					missing = append(missing, interp+" (interpreter of "+filepath.Base(f)+")")
				} else {
					found[interp] = SharedLib{Name: interp, HostPath: host, ImagePath: strings.TrimPrefix(interp, "/")}
				}
			}
		}
		for _, n := range needed {
			if ownNames[n] {
				continue
			}
			if _, ok := found[n]; ok {
				continue
			}
			host, dir := "", ""
			for _, r := range roots {
				for _, d := range libDirs {
					p := filepath.Join(r, d, n)
					if _, err := os.Stat(p); err == nil {
						host, dir = p, d
						break
					}
				}
				if host != "" {
					break
				}
			}
			if host == "" {
				missing = append(missing, n+" (needed by "+filepath.Base(f)+")")
				continue
			}
			found[n] = SharedLib{Name: n, HostPath: host, ImagePath: path.Join(dir, n)}
			queue = append(queue, host)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("shared libraries in none of the packages: %s", strings.Join(missing, ", "))
	}
	out := make([]SharedLib, 0, len(found))
	for _, l := range found {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func findLib(roots, dirs []string, name string) string {
	for _, r := range roots {
		for _, d := range dirs {
			p := filepath.Join(r, d, name)
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	return ""
}

// elfNeeds reads an ELF file's DT_NEEDED entries and its interpreter.
func elfNeeds(p string) (needed []string, interp string, err error) {
	f, err := elf.Open(p)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", p, err)
	}
	defer f.Close()
	needed, err = f.ImportedLibraries()
	if err != nil && !errors.Is(err, elf.ErrNoSymbols) {
		return nil, "", fmt.Errorf("%s: %w", p, err)
	}
	for _, prog := range f.Progs {
		if prog.Type == elf.PT_INTERP {
			b := make([]byte, prog.Filesz)
			if _, err := prog.ReadAt(b, 0); err != nil {
				return nil, "", fmt.Errorf("%s: reading interpreter: %w", p, err)
			}
			interp = strings.TrimRight(string(b), "\x00")
		}
	}
	return needed, interp, nil
}
