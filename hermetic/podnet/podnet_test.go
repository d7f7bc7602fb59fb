package podnet

import (
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestConflistContent(t *testing.T) {
	raw, err := Conflist([]string{"10.244.1.0/24"}, 1450)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("conflist is not JSON: %v\n%s", err, raw)
	}
	want := map[string]any{
		"cniVersion": "0.4.0",
		"name":       "podnet",
		"plugins": []any{
			map[string]any{
				"type":   "ptp",
				"ipMasq": false,
				"mtu":    float64(1450),
				"ipam": map[string]any{
					"type":   "host-local",
					"ranges": []any{[]any{map[string]any{"subnet": "10.244.1.0/24"}}},
					"routes": []any{map[string]any{"dst": "0.0.0.0/0"}},
				},
			},
			map[string]any{
				"type":         "portmap",
				"capabilities": map[string]any{"portMappings": true},
			},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("conflist mismatch\n got: %#v\nwant: %#v", got, want)
	}
	if !strings.HasSuffix(string(raw), "}\n") {
		t.Error("conflist should end with a newline")
	}
	again, _ := Conflist([]string{"10.244.1.0/24"}, 1450)
	if string(again) != string(raw) {
		t.Error("Conflist is not deterministic")
	}
}

func TestConflistDualStackKeepsIPv4(t *testing.T) {
	raw, err := Conflist([]string{"fd00:10:244:1::/64", "10.244.3.0/24"}, 1500)
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Plugins []struct {
			IPAM struct {
				Ranges [][]struct{ Subnet string }
			}
		}
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	if got := c.Plugins[0].IPAM.Ranges; len(got) != 1 || len(got[0]) != 1 || got[0][0].Subnet != "10.244.3.0/24" {
		t.Fatalf("ranges = %+v, want only 10.244.3.0/24", got)
	}
	if strings.Contains(string(raw), "fd00") {
		t.Fatal("IPv6 CIDR leaked into the conflist")
	}
}

func TestConflistErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cidrs []string
		mtu   int
		want  string
	}{
		{"ipv6 only", []string{"fd00:10:244:1::/64"}, 1500, "no IPv4 pod CIDR"},
		{"empty", nil, 1500, "no IPv4 pod CIDR"},
		{"garbage", []string{"10.244.1.0/24", "nope"}, 1500, `"nope"`},
		{"mtu", []string{"10.244.1.0/24"}, 0, "mtu"},
	} {
		_, err := Conflist(tc.cidrs, tc.mtu)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
}

func TestConflistMasksAndDedupes(t *testing.T) {
	raw, err := Conflist([]string{"10.244.1.7/24", "10.244.1.0/24"}, 1500)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(raw), `"subnet"`); n != 1 {
		t.Fatalf("want one range, got %d:\n%s", n, raw)
	}
	if !strings.Contains(string(raw), `"10.244.1.0/24"`) {
		t.Fatalf("subnet not masked:\n%s", raw)
	}
}

func nodes() []Node {
	return []Node{
		{Name: "cp", PodCIDRs: []string{"10.244.0.0/24"}, InternalIPs: []string{"172.18.0.2"}, Ready: true},
		{Name: "w1", PodCIDRs: []string{"10.244.1.0/24"}, InternalIPs: []string{"172.18.0.3"}, Ready: true},
		{Name: "w2", PodCIDRs: []string{"10.244.2.0/24"}, InternalIPs: []string{"172.18.0.4"}},
		{Name: "w3", InternalIPs: []string{"172.18.0.5"}},
	}
}

func r(dst, gw, node string) Route {
	return Route{Dst: netip.MustParsePrefix(dst), Gw: netip.MustParseAddr(gw), Node: node, Protocol: RouteProtocol}
}

func dsts(rs []Route) []string {
	var out []string
	for _, x := range rs {
		out = append(out, x.Dst.String()+"@"+x.Gw.String())
	}
	return out
}

func TestDesiredRoutesSkipsSelfAndNodesWithoutPodCIDR(t *testing.T) {
	got, skipped := DesiredRoutes("w1", nodes())
	want := []string{"10.244.0.0/24@172.18.0.2", "10.244.2.0/24@172.18.0.4"}
	if !reflect.DeepEqual(dsts(got), want) {
		t.Fatalf("routes = %v, want %v (self w1 excluded, NotReady w2 kept, w3 without podCIDR skipped)", dsts(got), want)
	}
	if got[1].Node != "w2" || got[1].Protocol != RouteProtocol {
		t.Errorf("route metadata = %+v", got[1])
	}
	if len(skipped) != 1 || !strings.Contains(skipped[0], "w3") || !strings.Contains(skipped[0], "no IPv4 pod CIDR") {
		t.Errorf("skipped = %q", skipped)
	}
}

func TestDesiredRoutesEdgeCases(t *testing.T) {
	ns := []Node{
		{Name: "self", PodCIDRs: []string{"10.244.0.0/24"}, InternalIPs: []string{"172.18.0.2"}},
		{Name: "noip", PodCIDRs: []string{"10.244.1.0/24"}},
		{Name: "v6ip", PodCIDRs: []string{"10.244.2.0/24"}, InternalIPs: []string{"fc00::5", "172.18.0.6"}},
		{Name: "stale", PodCIDRs: []string{"10.244.3.0/24"}, InternalIPs: []string{"172.18.0.2"}},
		{Name: "a-dup", PodCIDRs: []string{"10.244.4.0/24"}, InternalIPs: []string{"172.18.0.7"}},
		{Name: "b-dup", PodCIDRs: []string{"10.244.4.0/24"}, InternalIPs: []string{"172.18.0.8"}},
		{Name: "overlap", PodCIDRs: []string{"10.244.0.0/16"}, InternalIPs: []string{"172.18.0.9"}},
		{Name: "dual", PodCIDRs: []string{"fd00:10:244:5::/64", "10.244.5.0/24"}, InternalIPs: []string{"fc00::10", "172.18.0.10"}},
		{Name: "v6only", PodCIDRs: []string{"fd00:10:244:6::/64"}, InternalIPs: []string{"fc00::11"}},
		{Name: "bad", PodCIDRs: []string{"x"}, InternalIPs: []string{"172.18.0.12"}},
	}
	got, skipped := DesiredRoutes("self", ns)
	want := []string{"10.244.2.0/24@172.18.0.6", "10.244.4.0/24@172.18.0.7", "10.244.5.0/24@172.18.0.10"}
	if !reflect.DeepEqual(dsts(got), want) {
		t.Fatalf("routes = %v, want %v", dsts(got), want)
	}
	joined := strings.Join(skipped, "\n")
	for _, s := range []string{"noip", "stale", "b-dup", "overlap", "v6only", `"x"`} {
		if !strings.Contains(joined, s) {
			t.Errorf("skipped does not mention %s:\n%s", s, joined)
		}
	}
}

func TestDiffAddsMissingRoutes(t *testing.T) {
	desired, _ := DesiredRoutes("w1", nodes())
	p := Diff(desired, nil)
	if !reflect.DeepEqual(p.Add, desired) || len(p.Replace)+len(p.Delete)+len(p.Conflicts) != 0 {
		t.Fatalf("plan = %+v", p)
	}
	if p = Diff(desired, desired); !p.Empty() {
		t.Fatalf("in sync but plan = %+v", p)
	}
}

func TestDiffReplacesWhenNodeIPChanges(t *testing.T) {
	before, _ := DesiredRoutes("w1", nodes())
	ns := nodes()
	ns[2].InternalIPs = []string{"172.18.0.9"} // w2 stopped and started again
	after, _ := DesiredRoutes("w1", ns)
	p := Diff(after, before)
	if len(p.Add)+len(p.Delete)+len(p.Conflicts) != 0 || len(p.Replace) != 1 {
		t.Fatalf("plan = %+v", p)
	}
	rep := p.Replace[0]
	if rep.From.Gw.String() != "172.18.0.4" || rep.To.Gw.String() != "172.18.0.9" || rep.To.Dst.String() != "10.244.2.0/24" {
		t.Fatalf("replacement = %+v", rep)
	}
}

func TestDiffDeletesRoutesOfDeletedNodes(t *testing.T) {
	before, _ := DesiredRoutes("w1", nodes())
	after, _ := DesiredRoutes("w1", nodes()[:2]) // w2 and w3 gone
	p := Diff(after, before)
	if len(p.Add)+len(p.Replace)+len(p.Conflicts) != 0 || !reflect.DeepEqual(dsts(p.Delete), []string{"10.244.2.0/24@172.18.0.4"}) {
		t.Fatalf("plan = %+v", p)
	}
}

func TestDiffLeavesForeignRoutesAlone(t *testing.T) {
	desired, _ := DesiredRoutes("w1", nodes())
	foreign := func(dst, gw string, proto int) Route {
		x := r(dst, gw, "")
		x.Protocol = proto
		return x
	}
	current := []Route{
		foreign("0.0.0.0/0", "172.18.0.1", 3),         // default route (boot)
		foreign("172.18.0.0/16", "0.0.0.0", 2),        // docker bridge (kernel)
		foreign("10.244.9.0/24", "172.18.0.99", 4),    // someone's static route to a pod-like CIDR
		foreign("10.244.2.0/24", "172.18.0.50", 3),    // hand-made route for a node we want
		{Dst: netip.MustParsePrefix("10.244.1.5/32")}, // pod veth route, no gateway, protocol 0
		r("10.244.7.0/24", "172.18.0.8", ""),          // ours, node gone
	}
	p := Diff(desired, current)
	if !reflect.DeepEqual(dsts(p.Add), []string{"10.244.0.0/24@172.18.0.2"}) {
		t.Errorf("add = %v", dsts(p.Add))
	}
	if !reflect.DeepEqual(dsts(p.Delete), []string{"10.244.7.0/24@172.18.0.8"}) {
		t.Errorf("delete = %v (only owned routes may be deleted)", dsts(p.Delete))
	}
	if len(p.Replace) != 0 {
		t.Errorf("replace = %+v", p.Replace)
	}
	if len(p.Conflicts) != 1 || p.Conflicts[0].Want.Dst.String() != "10.244.2.0/24" || p.Conflicts[0].Foreign.Gw.String() != "172.18.0.50" {
		t.Errorf("conflicts = %+v", p.Conflicts)
	}
}

func TestDiffCleansOwnedDuplicatesAndOddPriorities(t *testing.T) {
	desired := []Route{r("10.244.2.0/24", "172.18.0.4", "w2")}
	odd := r("10.244.2.0/24", "172.18.0.4", "")
	odd.Priority = 100
	p := Diff(desired, []Route{odd})
	if !reflect.DeepEqual(dsts(p.Delete), []string{"10.244.2.0/24@172.18.0.4"}) || len(p.Add) != 1 {
		t.Fatalf("plan = %+v", p)
	}
	p = Diff(desired, []Route{r("10.244.2.0/24", "172.18.0.4", ""), r("10.244.2.0/24", "172.18.0.5", "")})
	if len(p.Delete) != 1 || p.Delete[0].Gw.String() != "172.18.0.5" || len(p.Add)+len(p.Replace) != 0 {
		t.Fatalf("plan = %+v", p)
	}
}

func TestNodeFromAPI(t *testing.T) {
	n := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: "w1"},
		Spec:       corev1.NodeSpec{PodCIDR: "10.244.1.0/24"},
		Status: corev1.NodeStatus{
			Addresses: []corev1.NodeAddress{
				{Type: corev1.NodeHostName, Address: "w1"},
				{Type: corev1.NodeInternalIP, Address: "172.18.0.3"},
				{Type: corev1.NodeInternalIP, Address: "fc00::3"},
			},
			Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue}},
		},
	}
	got := NodeFromAPI(n)
	want := Node{Name: "w1", PodCIDRs: []string{"10.244.1.0/24"}, InternalIPs: []string{"172.18.0.3", "fc00::3"}, Ready: true}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	n.Spec.PodCIDRs = []string{"10.244.1.0/24", "fd00::/64"}
	n.Status.Conditions[0].Status = corev1.ConditionUnknown
	got = NodeFromAPI(n)
	if len(got.PodCIDRs) != 2 || got.Ready {
		t.Fatalf("got %+v", got)
	}
	if got := NodeFromAPI(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "new"}}); len(got.PodCIDRs) != 0 || got.Ready {
		t.Fatalf("fresh node: %+v", got)
	}
}

func TestWriteFileIfChanged(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "net.d")
	path := filepath.Join(dir, "10-podnet.conflist")
	wrote, err := WriteFileIfChanged(path, []byte("a\n"))
	if err != nil || !wrote {
		t.Fatalf("first write: wrote=%v err=%v", wrote, err)
	}
	if wrote, err = WriteFileIfChanged(path, []byte("a\n")); err != nil || wrote {
		t.Fatalf("unchanged write: wrote=%v err=%v", wrote, err)
	}
	if wrote, err = WriteFileIfChanged(path, []byte("b\n")); err != nil || !wrote {
		t.Fatalf("changed write: wrote=%v err=%v", wrote, err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "b\n" {
		t.Fatalf("content = %q", got)
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o644 {
		t.Errorf("mode = %v", fi.Mode())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}
