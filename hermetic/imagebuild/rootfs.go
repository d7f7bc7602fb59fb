package imagebuild

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// NodePackages are the Debian packages of a node: what kind's base image
// installs, with Debian's containerd, runc and CNI plugins standing in for
// the ones kind builds from source.
var NodePackages = []string{
	"systemd", "systemd-sysv",
	"containerd", "runc", "containernetworking-plugins",
	"conntrack", "iptables", "nftables", "ebtables", "iproute2", "ethtool",
	"util-linux", "mount", "kmod", "libseccomp2", "pigz",
	"bash", "ca-certificates", "jq", "procps", "socat", "nfs-common",
}

// ProxyPackages are what kube-proxy execs besides itself.
var ProxyPackages = []string{"iptables", "nftables", "conntrack", "kmod"}

// nodeHooks trim systemd the way kind's base image does: no units that
// fight the container runtime, no reading the host's kernel log.
var nodeHooks = []string{
	`find "$1/lib/systemd/system/sysinit.target.wants/" -name systemd-tmpfiles-setup.service -delete`,
	`rm -f "$1"/lib/systemd/system/multi-user.target.wants/* "$1"/etc/systemd/system/*.wants/* "$1"/lib/systemd/system/local-fs.target.wants/* "$1"/lib/systemd/system/sockets.target.wants/*udev* "$1"/lib/systemd/system/sockets.target.wants/*initctl* "$1"/lib/systemd/system/basic.target.wants/*`,
	`echo ReadKMsg=no >> "$1/etc/systemd/journald.conf"`,
	`mkdir -p "$1/etc/kubernetes/manifests" "$1/opt/cni"`,
}

const debianSuite = "bookworm"

// aptSources picks the sources for mmdebstrap: on a Debian bookworm host
// its own (so a local mirror or proxy keeps working); elsewhere mmdebstrap's
// default for the suite.
func aptSources() []string {
	osr, _ := os.ReadFile("/etc/os-release")
	if !strings.Contains(string(osr), "VERSION_CODENAME="+debianSuite) {
		return nil
	}
	for _, p := range []string{"/etc/apt/sources.list.d/debian.sources", "/etc/apt/sources.list"} {
		if fi, err := os.Stat(p); err == nil && fi.Size() > 0 {
			return []string{p}
		}
	}
	return nil
}

// rootfs makes a Debian root file system tarball with mmdebstrap.
func (b *Builder) rootfs(ctx context.Context, name, variant string, packages, hooks []string) (string, error) {
	sources := aptSources()
	key := NewKey(recipe, debianSuite, variant, strings.Join(packages, ","), strings.Join(hooks, "\n"), strings.Join(sources, ","))
	for _, s := range sources {
		c, _ := os.ReadFile(s)
		key.Add(string(c))
	}
	dir, err := b.cache.Build("rootfs-"+name, key.String(), func(out string) error {
		if err := ensureTool(ctx, b.run, "mmdebstrap", "mmdebstrap"); err != nil {
			return err
		}
		b.run.progress("building the %s root file system from Debian %s packages", name, debianSuite)
		args := []string{
			"--variant=" + variant,
			"--include=" + strings.Join(packages, ","),
			"--dpkgopt=path-exclude=/usr/share/doc/*",
			"--dpkgopt=path-exclude=/usr/share/man/*",
			"--dpkgopt=path-exclude=/usr/share/locale/*",
		}
		for _, h := range hooks {
			args = append(args, "--customize-hook="+h)
		}
		args = append(args, debianSuite, filepath.Join(out, "rootfs.tar"))
		args = append(args, sources...)
		_, err := b.run.run(ctx, "mmdebstrap "+name, cmdOpts{}, "mmdebstrap", args...)
		return err
	})
	return filepath.Join(dir, "rootfs.tar"), err
}

// ensureTool installs a Debian package providing a missing command when
// running as root on a host with apt; otherwise it says what is missing.
func ensureTool(ctx context.Context, r *runner, command, pkg string) error {
	if _, err := exec.LookPath(command); err == nil {
		return nil
	}
	if os.Geteuid() != 0 {
		return fmt.Errorf("%s is not installed: install the Debian package %s", command, pkg)
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		return fmt.Errorf("%s is not installed and there is no apt-get to install %s", command, pkg)
	}
	r.progress("installing %s (Debian package %s)", command, pkg)
	o := cmdOpts{env: []string{"DEBIAN_FRONTEND=noninteractive"}}
	if _, err := r.run(ctx, "apt-get install "+pkg, o, "apt-get", "install", "-y", "-q", pkg); err != nil {
		if _, err2 := r.run(ctx, "apt-get update", o, "apt-get", "update", "-q"); err2 != nil {
			return err2
		}
		_, err = r.run(ctx, "apt-get install "+pkg, o, "apt-get", "install", "-y", "-q", pkg)
		return err
	}
	return nil
}
