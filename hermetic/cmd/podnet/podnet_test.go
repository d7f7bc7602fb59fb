package main

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"

	"github.com/stsconform/stsconform/hermetic/podnet"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestParseConfig(t *testing.T) {
	c, err := parseConfig(nil, env(map[string]string{"NODE_NAME": "w1", "CONTROL_PLANE_ENDPOINT": "kind-control-plane:6443"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.nodeName != "w1" || c.conflistPath() != "/etc/cni/net.d/10-podnet.conflist" || c.mtu != 0 || c.resync != 30*time.Second || c.controlPlane != "kind-control-plane:6443" {
		t.Fatalf("defaults: %+v", c)
	}
	c, err = parseConfig([]string{"--node-name=w2", "--cni-conf-dir=/x", "--conflist-name=05-a.conflist", "--mtu=1400", "--resync=5s"}, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.nodeName != "w2" || c.conflistPath() != "/x/05-a.conflist" || c.mtu != 1400 || c.resync != 5*time.Second || c.controlPlane != "" {
		t.Fatalf("flags: %+v", c)
	}
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{nil, nil, "NODE_NAME is not set"},
		{nil, map[string]string{"NODE_NAME": "  "}, "NODE_NAME is not set"},
		{[]string{"--conflist-name=a/b.conflist"}, map[string]string{"NODE_NAME": "n"}, "plain file name"},
		{[]string{"--conflist-name=a.conf"}, map[string]string{"NODE_NAME": "n"}, ".conflist"},
		{[]string{"--mtu=10"}, map[string]string{"NODE_NAME": "n"}, "--mtu"},
		{[]string{"--resync=1ms"}, map[string]string{"NODE_NAME": "n"}, "--resync"},
		{[]string{"extra"}, map[string]string{"NODE_NAME": "n"}, "unexpected arguments"},
		{nil, map[string]string{"NODE_NAME": "n", "CONTROL_PLANE_ENDPOINT": "nohostport"}, "CONTROL_PLANE_ENDPOINT"},
	} {
		_, err := parseConfig(tc.args, env(tc.env), io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parseConfig(%v, %v) err = %v, want %q", tc.args, tc.env, err, tc.want)
		}
	}
}

func TestRunFailsWithOneLineOutsideACluster(t *testing.T) {
	t.Setenv("KUBERNETES_SERVICE_HOST", "")
	t.Setenv("KUBERNETES_SERVICE_PORT", "")
	err := run(nil, env(map[string]string{"NODE_NAME": "w1"}))
	if err == nil || !strings.Contains(err.Error(), "no in-cluster config") {
		t.Fatalf("err = %v", err)
	}
	if got := oneLine(err.Error()); strings.Contains(got, "\n") {
		t.Fatalf("not one line: %q", got)
	}
}

type fakeKernel struct {
	routes  []podnet.Route
	failDst string
	ops     []string
}

func (k *fakeKernel) ListRoutes() ([]podnet.Route, error) { return slices.Clone(k.routes), nil }

func (k *fakeKernel) ReplaceRoute(r podnet.Route) error {
	if r.Dst.String() == k.failDst {
		return errors.New("network is unreachable")
	}
	k.ops = append(k.ops, "replace "+r.Dst.String()+" "+r.Gw.String())
	r.Node = ""
	k.routes = slices.DeleteFunc(k.routes, func(x podnet.Route) bool { return x.Dst == r.Dst && x.Priority == r.Priority })
	k.routes = append(k.routes, r)
	return nil
}

func (k *fakeKernel) DeleteRoute(r podnet.Route) error {
	k.ops = append(k.ops, "delete "+r.Dst.String()+" "+r.Gw.String())
	k.routes = slices.DeleteFunc(k.routes, func(x podnet.Route) bool { return x == r })
	return nil
}

func apiNode(name, podCIDR, ip string) *corev1.Node {
	n := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if podCIDR != "" {
		n.Spec.PodCIDR = podCIDR
		n.Spec.PodCIDRs = []string{podCIDR}
	}
	if ip != "" {
		n.Status.Addresses = []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: ip}}
	}
	return n
}

type logBuf struct{ lines []string }

func (l *logBuf) logf(f string, args ...any) { l.lines = append(l.lines, fmt.Sprintf(f, args...)) }
func (l *logBuf) take() string {
	s := strings.Join(l.lines, "\n")
	l.lines = nil
	return s
}

func TestAgentReconcile(t *testing.T) {
	dir := t.TempDir()
	idx := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{})
	foreign := podnet.Route{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gw: netip.MustParseAddr("172.18.0.1"), Protocol: 3}
	kern := &fakeKernel{routes: []podnet.Route{foreign}}
	logs := &logBuf{}
	cfg := config{nodeName: "w1", confDir: dir, conflistName: "10-podnet.conflist", mtu: 1500}
	a := newAgent(cfg, corelisters.NewNodeLister(idx), kern, logs.logf)
	path := filepath.Join(dir, "10-podnet.conflist")

	// Own node not registered yet.
	_ = idx.Add(apiNode("cp", "10.244.0.0/24", "172.18.0.2"))
	a.reconcile()
	if _, err := os.Stat(path); err == nil {
		t.Fatal("conflist written before the node exists")
	}
	if got := logs.take(); !strings.Contains(got, "waiting for node w1 to appear") || !strings.Contains(got, "added route 10.244.0.0/24 via 172.18.0.2") {
		t.Fatalf("logs:\n%s", got)
	}

	// Registered, no podCIDR yet: still waiting, logged once.
	_ = idx.Add(apiNode("w1", "", "172.18.0.3"))
	a.reconcile()
	a.reconcile()
	if got := logs.take(); strings.Count(got, "to be given a podCIDR") != 1 {
		t.Fatalf("logs:\n%s", got)
	}
	if len(kern.ops) != 1 {
		t.Fatalf("ops = %v", kern.ops)
	}

	// podCIDR assigned: conflist written once.
	_ = idx.Update(apiNode("w1", "10.244.1.0/24", "172.18.0.3"))
	a.reconcile()
	data, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(data), `"10.244.1.0/24"`) {
		t.Fatalf("conflist: %v\n%s", err, data)
	}
	if got := logs.take(); !strings.Contains(got, "wrote "+path) {
		t.Fatalf("logs:\n%s", got)
	}
	a.reconcile()
	if got := logs.take(); got != "" {
		t.Fatalf("steady state logged:\n%s", got)
	}

	// A new node, then cp changes IP, then the new node goes away.
	_ = idx.Add(apiNode("w2", "10.244.2.0/24", "172.18.0.4"))
	a.reconcile()
	_ = idx.Update(apiNode("cp", "10.244.0.0/24", "172.18.0.9"))
	a.reconcile()
	_ = idx.Delete(apiNode("w2", "", ""))
	a.reconcile()
	want := []string{
		"replace 10.244.0.0/24 172.18.0.2",
		"replace 10.244.2.0/24 172.18.0.4",
		"replace 10.244.0.0/24 172.18.0.9",
		"delete 10.244.2.0/24 172.18.0.4",
	}
	if !slices.Equal(kern.ops, want) {
		t.Fatalf("ops = %v, want %v", kern.ops, want)
	}
	if got := logs.take(); !strings.Contains(got, "replaced route 10.244.0.0/24 via 172.18.0.2 with 10.244.0.0/24 via 172.18.0.9 (node cp)") ||
		!strings.Contains(got, "deleted route 10.244.2.0/24 via 172.18.0.4") {
		t.Fatalf("logs:\n%s", got)
	}
	if !slices.Contains(kern.routes, foreign) {
		t.Fatal("foreign default route was touched")
	}

	// A failing route is reported once, and retried on every reconcile.
	kern.failDst = "10.244.3.0/24"
	_ = idx.Add(apiNode("w3", "10.244.3.0/24", "10.99.0.1"))
	a.reconcile()
	a.reconcile()
	if got := logs.take(); strings.Count(got, "adding route 10.244.3.0/24 via 10.99.0.1 (node w3): network is unreachable") != 1 {
		t.Fatalf("logs:\n%s", got)
	}
}

func TestNodeEventsIgnoreHeartbeats(t *testing.T) {
	kick := make(chan struct{}, 1)
	h := nodeEvents(kick)
	drain := func() bool {
		select {
		case <-kick:
			return true
		default:
			return false
		}
	}
	old := apiNode("w1", "10.244.1.0/24", "172.18.0.3")
	beat := old.DeepCopy()
	beat.ResourceVersion = "2"
	beat.Status.Conditions = nil
	h.OnUpdate(old, beat)
	if drain() {
		t.Fatal("heartbeat-only update kicked a reconcile")
	}
	moved := apiNode("w1", "10.244.1.0/24", "172.18.0.7")
	h.OnUpdate(old, moved)
	h.OnUpdate(old, moved) // coalesces, does not block
	if !drain() || drain() {
		t.Fatal("IP change should kick exactly once")
	}
	h.OnAdd(old, false)
	h.OnDelete(old)
	if !drain() {
		t.Fatal("add/delete did not kick")
	}
}

func TestNetlinkConversionRoundTrip(t *testing.T) {
	r := podnet.Route{Dst: netip.MustParsePrefix("10.244.2.0/24"), Gw: netip.MustParseAddr("172.18.0.4"), Protocol: podnet.RouteProtocol}
	nr := toNetlink(r)
	if nr.Dst.String() != "10.244.2.0/24" || nr.Gw.String() != "172.18.0.4" || int(nr.Protocol) != podnet.RouteProtocol || nr.Table != podnet.MainTable {
		t.Fatalf("toNetlink = %+v", nr)
	}
	if back := fromNetlink(*nr); back != r {
		t.Fatalf("round trip = %+v, want %+v", back, r)
	}
	def := *nr
	def.Dst, def.Gw = nil, nil
	if got := fromNetlink(def); got.Dst.String() != "0.0.0.0/0" || got.Gw.IsValid() {
		t.Fatalf("default device route = %+v", got)
	}
	if err := (netlinkKernel{}).DeleteRoute(podnet.Route{Dst: r.Dst, Protocol: 3}); err == nil {
		t.Fatal("deleting a foreign route was not refused")
	}
}
