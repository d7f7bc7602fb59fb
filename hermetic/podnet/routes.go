package podnet

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"

	corev1 "k8s.io/api/core/v1"
)

// RouteProtocol is the routing protocol number (rtm_protocol, `ip route ...
// proto 110`) that marks the routes podnet owns. Only routes carrying it are
// ever replaced or deleted; 110 is not assigned in iproute2's rt_protos.
const RouteProtocol = 0x6e

// MainTable is the kernel's main routing table, where podnet's routes live.
const MainTable = 254

// Node is what route computation needs from a Kubernetes Node.
type Node struct {
	Name        string
	PodCIDRs    []string
	InternalIPs []string
	// Ready is informational: routes are kept for NotReady nodes, since a
	// node is NotReady until its own CNI config exists, and a node that
	// flaps NotReady still runs pods that must stay reachable.
	Ready bool
}

// NodeFromAPI extracts a Node from a Kubernetes Node object. spec.podCIDRs
// is preferred; spec.podCIDR is used when the list is empty.
func NodeFromAPI(n *corev1.Node) Node {
	out := Node{Name: n.Name}
	out.PodCIDRs = append(out.PodCIDRs, n.Spec.PodCIDRs...)
	if len(out.PodCIDRs) == 0 && n.Spec.PodCIDR != "" {
		out.PodCIDRs = []string{n.Spec.PodCIDR}
	}
	for _, a := range n.Status.Addresses {
		if a.Type == corev1.NodeInternalIP && a.Address != "" {
			out.InternalIPs = append(out.InternalIPs, a.Address)
		}
	}
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			out.Ready = c.Status == corev1.ConditionTrue
		}
	}
	return out
}

// Route is one route: Dst via Gw. Node names the node whose pod CIDR Dst is
// (desired routes only). Protocol and Priority describe routes read from the
// kernel; desired routes carry RouteProtocol and priority 0.
type Route struct {
	Dst      netip.Prefix
	Gw       netip.Addr
	Node     string
	Protocol int
	Priority int
}

func (r Route) String() string {
	s := r.Dst.String() + " via " + r.Gw.String()
	if r.Node != "" {
		s += " (node " + r.Node + ")"
	}
	return s
}

// DesiredRoutes returns, sorted by destination, one route per IPv4 pod CIDR
// of every node other than self that has both a pod CIDR and an IPv4
// InternalIP: the pod CIDR via that node's first IPv4 InternalIP. Nodes are
// taken in name order; skipped is one line per node or CIDR left out and why
// (no pod CIDR yet, no InternalIP, a CIDR already claimed or overlapping
// self's, a gateway that is one of self's own addresses), for logging.
func DesiredRoutes(self string, nodes []Node) (routes []Route, skipped []string) {
	sorted := slices.Clone(nodes)
	slices.SortFunc(sorted, func(a, b Node) int { return cmp.Compare(a.Name, b.Name) })

	var selfCIDRs []netip.Prefix
	selfIPs := map[netip.Addr]bool{}
	for _, n := range sorted {
		if n.Name != self {
			continue
		}
		selfCIDRs, _ = ipv4PrefixesLenient(n.PodCIDRs)
		for _, s := range n.InternalIPs {
			if a, err := netip.ParseAddr(s); err == nil {
				selfIPs[a.Unmap()] = true
			}
		}
	}

	claimed := map[netip.Prefix]string{}
	for _, n := range sorted {
		if n.Name == self {
			continue
		}
		cidrs, bad := ipv4PrefixesLenient(n.PodCIDRs)
		for _, b := range bad {
			skipped = append(skipped, fmt.Sprintf("node %s: unparsable pod CIDR %q", n.Name, b))
		}
		if len(cidrs) == 0 {
			if len(bad) == 0 {
				skipped = append(skipped, fmt.Sprintf("node %s: no IPv4 pod CIDR yet", n.Name))
			}
			continue
		}
		gw, ok := firstIPv4(n.InternalIPs)
		if !ok {
			skipped = append(skipped, fmt.Sprintf("node %s: no IPv4 InternalIP", n.Name))
			continue
		}
		if selfIPs[gw] {
			skipped = append(skipped, fmt.Sprintf("node %s: InternalIP %s is this node's own address (stale node?)", n.Name, gw))
			continue
		}
		for _, c := range cidrs {
			if owner, dup := claimed[c]; dup {
				skipped = append(skipped, fmt.Sprintf("node %s: pod CIDR %s already claimed by node %s", n.Name, c, owner))
				continue
			}
			if slices.ContainsFunc(selfCIDRs, c.Overlaps) {
				skipped = append(skipped, fmt.Sprintf("node %s: pod CIDR %s overlaps this node's own", n.Name, c))
				continue
			}
			claimed[c] = n.Name
			routes = append(routes, Route{Dst: c, Gw: gw, Node: n.Name, Protocol: RouteProtocol})
		}
	}
	slices.SortFunc(routes, func(a, b Route) int { return comparePrefix(a.Dst, b.Dst) })
	return routes, skipped
}

// Replacement is an owned route whose gateway must change.
type Replacement struct {
	From, To Route
}

// Conflict is a desired route whose destination is already routed, in the
// main table, by a route podnet does not own. podnet leaves it alone.
type Conflict struct {
	Want    Route
	Foreign Route
}

// Plan is what to do to the kernel's routes to reach the desired set.
type Plan struct {
	Add       []Route
	Replace   []Replacement
	Delete    []Route
	Conflicts []Conflict
}

// Empty reports whether the plan changes nothing and reports nothing.
func (p Plan) Empty() bool {
	return len(p.Add) == 0 && len(p.Replace) == 0 && len(p.Delete) == 0 && len(p.Conflicts) == 0
}

// Diff compares desired routes with the kernel's current main-table routes
// (all of them, any protocol). Only routes with Protocol == RouteProtocol are
// podnet's: those not desired, or duplicates of a desired destination, or at
// a priority other than 0, are deleted; a desired destination with an owned
// route via another gateway is replaced; one with no owned route is added,
// unless a foreign route already has that exact destination, which is
// reported as a conflict and left untouched (adding ours would replace it).
func Diff(desired, current []Route) Plan {
	var plan Plan
	want := map[netip.Prefix]Route{}
	for _, d := range desired {
		want[d.Dst.Masked()] = d
	}

	owned := map[netip.Prefix]Route{}
	foreign := map[netip.Prefix]Route{}
	for _, c := range current {
		if !c.Dst.IsValid() {
			continue
		}
		dst := c.Dst.Masked()
		if c.Protocol != RouteProtocol {
			if _, seen := foreign[dst]; !seen {
				foreign[dst] = c
			}
			continue
		}
		_, isWanted := want[dst]
		_, dup := owned[dst]
		if !isWanted || dup || c.Priority != 0 {
			plan.Delete = append(plan.Delete, c)
			continue
		}
		owned[dst] = c
	}

	for _, d := range desired {
		dst := d.Dst.Masked()
		o, have := owned[dst]
		switch {
		case have && o.Gw == d.Gw:
		case have:
			plan.Replace = append(plan.Replace, Replacement{From: o, To: d})
		default:
			if f, clash := foreign[dst]; clash {
				plan.Conflicts = append(plan.Conflicts, Conflict{Want: d, Foreign: f})
				continue
			}
			plan.Add = append(plan.Add, d)
		}
	}
	slices.SortFunc(plan.Delete, func(a, b Route) int {
		return cmp.Or(comparePrefix(a.Dst, b.Dst), a.Gw.Compare(b.Gw), cmp.Compare(a.Priority, b.Priority))
	})
	return plan
}

func comparePrefix(a, b netip.Prefix) int {
	return cmp.Or(a.Addr().Compare(b.Addr()), cmp.Compare(a.Bits(), b.Bits()))
}

// ipv4PrefixesLenient is ipv4Prefixes that returns unparsable entries
// instead of failing.
func ipv4PrefixesLenient(cidrs []string) (out []netip.Prefix, bad []string) {
	for _, s := range cidrs {
		p, err := ipv4Prefixes([]string{s})
		if err != nil {
			bad = append(bad, s)
			continue
		}
		for _, q := range p {
			if !slices.Contains(out, q) {
				out = append(out, q)
			}
		}
	}
	return out, bad
}

func firstIPv4(addrs []string) (netip.Addr, bool) {
	for _, s := range addrs {
		a, err := netip.ParseAddr(s)
		if err != nil {
			continue
		}
		if a = a.Unmap(); a.Is4() {
			return a, true
		}
	}
	return netip.Addr{}, false
}
