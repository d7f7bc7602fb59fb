// Package podnet holds the pure logic of the podnet agent, a small
// kindnetd-like CNI for kind clusters with no registry: the CNI conflist it
// writes on each node, the routes it keeps between nodes' pod CIDRs, and
// the image and manifest the node image ships (manifest.go).
// hermetic/cmd/podnet wires it to the API server (a Node informer) and to
// the kernel (netlink).
package podnet

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
)

// Name is the CNI network name written in the conflist.
const Name = "podnet"

// CNIVersion is the conflist's cniVersion. The standard plugins v1.1.1 (as
// packaged by Debian) support 0.4.0 and 1.0.0; 0.4.0 is the safe choice for
// whichever container runtime reads it.
const CNIVersion = "0.4.0"

type conflist struct {
	CNIVersion string   `json:"cniVersion"`
	Name       string   `json:"name"`
	Plugins    []plugin `json:"plugins"`
}

type plugin struct {
	Type         string          `json:"type"`
	IPMasq       *bool           `json:"ipMasq,omitempty"`
	MTU          int             `json:"mtu,omitempty"`
	IPAM         *ipam           `json:"ipam,omitempty"`
	Capabilities map[string]bool `json:"capabilities,omitempty"`
}

type ipam struct {
	Type   string        `json:"type"`
	Ranges [][]ipamRange `json:"ranges"`
	Routes []ipamRoute   `json:"routes"`
}

type ipamRange struct {
	Subnet string `json:"subnet"`
}

type ipamRoute struct {
	Dst string `json:"dst"`
}

// Conflist returns the CNI conflist for a node whose spec.podCIDRs is
// podCIDRs: ptp (no masquerade, the given MTU) with host-local IPAM serving
// one range set per IPv4 pod CIDR and a default route, then portmap for
// hostPort. Only IPv4 is served: IPv6 CIDRs are ignored, and a list with no
// IPv4 CIDR is an error. Any unparsable CIDR is an error. The output is
// deterministic (indented JSON with a trailing newline), so callers can
// compare it with what is on disk.
func Conflist(podCIDRs []string, mtu int) ([]byte, error) {
	if mtu < 68 || mtu > 65535 {
		return nil, fmt.Errorf("mtu %d out of range [68, 65535]", mtu)
	}
	v4, err := ipv4Prefixes(podCIDRs)
	if err != nil {
		return nil, err
	}
	if len(v4) == 0 {
		return nil, fmt.Errorf("no IPv4 pod CIDR in [%s]: podnet serves IPv4 only", strings.Join(podCIDRs, " "))
	}
	ranges := make([][]ipamRange, 0, len(v4))
	for _, p := range v4 {
		ranges = append(ranges, []ipamRange{{Subnet: p.String()}})
	}
	no := false
	c := conflist{
		CNIVersion: CNIVersion,
		Name:       Name,
		Plugins: []plugin{
			{
				Type:   "ptp",
				IPMasq: &no,
				MTU:    mtu,
				IPAM: &ipam{
					Type:   "host-local",
					Ranges: ranges,
					Routes: []ipamRoute{{Dst: "0.0.0.0/0"}},
				},
			},
			{
				Type:         "portmap",
				Capabilities: map[string]bool{"portMappings": true},
			},
		},
	}
	out, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// ipv4Prefixes parses cidrs, keeps the IPv4 ones (masked, deduplicated, in
// input order) and fails on anything that is not a CIDR.
func ipv4Prefixes(cidrs []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	seen := map[netip.Prefix]bool{}
	for _, s := range cidrs {
		p, err := netip.ParsePrefix(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("pod CIDR %q: %w", s, err)
		}
		if !p.Addr().Is4() {
			continue
		}
		p = p.Masked()
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out, nil
}
