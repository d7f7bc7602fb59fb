package imagebuild

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stsconform/stsconform/hermetic/podnet"
)

func TestParseVersion(t *testing.T) {
	v, err := ParseVersion("v1.34.3")
	if err != nil || v.String() != "v1.34.3" || v.Staging() != "v0.34.3" {
		t.Fatalf("ParseVersion(v1.34.3) = %v %v, staging %s", v, err, v.Staging())
	}
	if v, _ := ParseVersion("v1.33.7"); v.Staging() != "v0.33.7" {
		t.Fatalf("staging of v1.33.7 = %s", v.Staging())
	}
	for _, bad := range []string{"", "1.34.3", "v1.34", "v1.34.3-rc.0", "v2.0.0", "v1.29.0", "latest"} {
		if _, err := ParseVersion(bad); err == nil {
			t.Errorf("ParseVersion(%q) accepted an invalid version", bad)
		}
	}
}

const kubeadmList134 = `registry.k8s.io/kube-apiserver:v1.34.3
registry.k8s.io/kube-controller-manager:v1.34.3
registry.k8s.io/kube-scheduler:v1.34.3
registry.k8s.io/kube-proxy:v1.34.3
registry.k8s.io/coredns/coredns:v1.12.1
registry.k8s.io/pause:3.10.1
registry.k8s.io/etcd:3.6.5-0
`

func TestParseKubeadmImages(t *testing.T) {
	c, err := ParseKubeadmImages(kubeadmList134)
	if err != nil {
		t.Fatal(err)
	}
	want := Components{Registry: "registry.k8s.io", Etcd: "3.6.5-0", CoreDNS: "v1.12.1", Pause: "3.10.1"}
	c.Images = nil
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("got %+v, want %+v", c, want)
	}
}

func TestParseKubeadmImagesRejectsIncompleteOrGarbage(t *testing.T) {
	noEtcd := strings.ReplaceAll(kubeadmList134, "registry.k8s.io/etcd:3.6.5-0\n", "")
	if _, err := ParseKubeadmImages(noEtcd); err == nil || !strings.Contains(err.Error(), "etcd") {
		t.Fatalf("want an error naming etcd, got %v", err)
	}
	if _, err := ParseKubeadmImages("W1121 warning: something odd\n" + kubeadmList134); err == nil {
		t.Fatal("a warning line must not pass as an image")
	}
}

func TestModuleVersions(t *testing.T) {
	for tag, want := range map[string]string{"3.6.5-0": "v3.6.5", "3.5.21-0": "v3.5.21", "v3.6.0": "v3.6.0"} {
		if got, err := EtcdModuleVersion(tag); err != nil || got != want {
			t.Errorf("EtcdModuleVersion(%q) = %q, %v; want %q", tag, got, err, want)
		}
	}
	if _, err := EtcdModuleVersion("latest"); err == nil {
		t.Error("EtcdModuleVersion(latest) accepted")
	}
	if got, err := CoreDNSModuleVersion("v1.12.1"); err != nil || got != "v1.12.1" {
		t.Errorf("CoreDNSModuleVersion = %q, %v", got, err)
	}
	if _, err := CoreDNSModuleVersion("v1.12.1-rc1"); err == nil {
		t.Error("CoreDNSModuleVersion accepted a pre-release")
	}
}

func TestControlPlaneImagesMatchKubeadmNames(t *testing.T) {
	v, _ := ParseVersion("v1.34.3")
	c, _ := ParseKubeadmImages(kubeadmList134)
	names := Names(ControlPlaneImages(v, c, map[string]string{}, "proxy.tar"))
	if missing := MissingImages(c.Images, names); len(missing) > 0 {
		t.Fatalf("images kubeadm asks for but the build does not make: %v", missing)
	}
	if missing := MissingImages([]string{SandboxPause, podnet.Image}, names); len(missing) > 0 {
		t.Fatalf("missing sandbox or CNI image: %v", missing)
	}
}

func TestRewriteStagingReplaces(t *testing.T) {
	in := "replace (\n\tk8s.io/api => ./staging/src/k8s.io/api\n\tk8s.io/client-go => ./staging/src/k8s.io/client-go\n\tgithub.com/x/y => github.com/x/y v1.0.0\n)\n"
	out, n := RewriteStagingReplaces(in, "v0.34.3")
	if n != 2 {
		t.Fatalf("rewrote %d replaces, want 2", n)
	}
	for _, want := range []string{"\tk8s.io/api => k8s.io/api v0.34.3\n", "\tk8s.io/client-go => k8s.io/client-go v0.34.3\n", "github.com/x/y => github.com/x/y v1.0.0"} {
		if !strings.Contains(out, want) {
			t.Errorf("rewritten go.mod lacks %q:\n%s", want, out)
		}
	}
}

func TestDebUpstreamVersion(t *testing.T) {
	for file, want := range map[string]string{
		"busybox-static_1%3a1.35.0-4+deb12u1+b1_amd64.deb": "1.35.0",
		"busybox-static_1.36.1-6_amd64.deb":                "1.36.1",
	} {
		if got := DebUpstreamVersion(file); got != want {
			t.Errorf("DebUpstreamVersion(%q) = %q, want %q", file, got, want)
		}
	}
}
