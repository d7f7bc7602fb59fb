package main

import (
	"errors"
	"fmt"
	"net"
	"net/netip"

	"github.com/vishvananda/netlink"

	"github.com/stsconform/stsconform/hermetic/podnet"
)

// netlinkKernel is kernel on the host's routing table (podnet runs with
// hostNetwork and NET_ADMIN).
type netlinkKernel struct{}

// mainRoutesV4 lists the main table's IPv4 routes, retrying a dump the
// kernel interrupted (the table changed while being read).
func mainRoutesV4() ([]netlink.Route, error) {
	filter := &netlink.Route{Table: podnet.MainTable}
	var err error
	for range 3 {
		var rs []netlink.Route
		rs, err = netlink.RouteListFiltered(netlink.FAMILY_V4, filter, netlink.RT_FILTER_TABLE)
		if err == nil {
			return rs, nil
		}
		if !errors.Is(err, netlink.ErrDumpInterrupted) {
			break
		}
	}
	return nil, err
}

func (netlinkKernel) ListRoutes() ([]podnet.Route, error) {
	rs, err := mainRoutesV4()
	if err != nil {
		return nil, err
	}
	out := make([]podnet.Route, 0, len(rs))
	for _, r := range rs {
		out = append(out, fromNetlink(r))
	}
	return out, nil
}

func (netlinkKernel) ReplaceRoute(r podnet.Route) error {
	return netlink.RouteReplace(toNetlink(r))
}

func (netlinkKernel) DeleteRoute(r podnet.Route) error {
	if r.Protocol != podnet.RouteProtocol {
		return fmt.Errorf("refusing to delete %s: protocol %d is not podnet's", r, r.Protocol)
	}
	return netlink.RouteDel(toNetlink(r))
}

// fromNetlink converts a kernel route; a nil Dst is the default route, a
// nil Gw (device or multipath route) an invalid Addr.
func fromNetlink(r netlink.Route) podnet.Route {
	out := podnet.Route{Protocol: int(r.Protocol), Priority: r.Priority}
	if r.Dst == nil {
		out.Dst = netip.PrefixFrom(netip.IPv4Unspecified(), 0)
	} else if a, ok := netip.AddrFromSlice(r.Dst.IP); ok {
		ones, _ := r.Dst.Mask.Size()
		out.Dst = netip.PrefixFrom(a.Unmap(), ones)
	}
	if a, ok := netip.AddrFromSlice(r.Gw); ok {
		out.Gw = a.Unmap()
	}
	return out
}

// toNetlink builds the netlink route for one of podnet's routes in the main
// table; Protocol and Priority identify it for RouteDel.
func toNetlink(r podnet.Route) *netlink.Route {
	dst := &net.IPNet{
		IP:   net.IP(r.Dst.Addr().AsSlice()),
		Mask: net.CIDRMask(r.Dst.Bits(), r.Dst.Addr().BitLen()),
	}
	nr := &netlink.Route{
		Dst:      dst,
		Protocol: netlink.RouteProtocol(podnet.RouteProtocol),
		Table:    podnet.MainTable,
		Priority: r.Priority,
	}
	if r.Gw.IsValid() {
		nr.Gw = net.IP(r.Gw.AsSlice())
	}
	return nr
}

// defaultRouteMTU returns the MTU and name of the interface of the main
// table's IPv4 default route.
func defaultRouteMTU() (int, string, error) {
	rs, err := mainRoutesV4()
	if err != nil {
		return 0, "", fmt.Errorf("listing routes: %v", err)
	}
	for _, r := range rs {
		if r.Dst != nil {
			if ones, _ := r.Dst.Mask.Size(); ones != 0 {
				continue
			}
		}
		if r.LinkIndex <= 0 {
			continue
		}
		l, err := netlink.LinkByIndex(r.LinkIndex)
		if err != nil {
			return 0, "", fmt.Errorf("default route's interface %d: %v", r.LinkIndex, err)
		}
		if mtu := l.Attrs().MTU; mtu >= 68 {
			return mtu, l.Attrs().Name, nil
		}
	}
	return 0, "", errors.New("no IPv4 default route with an interface")
}
