package main

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/labels"
	corelisters "k8s.io/client-go/listers/core/v1"

	"github.com/stsconform/stsconform/hermetic/podnet"
)

// kernel is the routing table as podnet sees it: the main table's IPv4
// routes, and replacing or deleting podnet's own.
type kernel interface {
	ListRoutes() ([]podnet.Route, error)
	ReplaceRoute(podnet.Route) error
	DeleteRoute(podnet.Route) error
}

type agent struct {
	cfg   config
	nodes corelisters.NodeLister
	kern  kernel
	logf  func(format string, args ...any)
	// last holds, per topic, the last state or message logged, so that a
	// condition that persists across reconciles is logged once.
	last map[string]string
}

func newAgent(cfg config, nodes corelisters.NodeLister, kern kernel, logf func(string, ...any)) *agent {
	return &agent{cfg: cfg, nodes: nodes, kern: kern, logf: logf, last: map[string]string{}}
}

// note logs msg under topic when it differs from what was last logged there;
// an empty msg clears the topic silently.
func (a *agent) note(topic, msg string) {
	if a.last[topic] == msg {
		return
	}
	a.last[topic] = msg
	if msg == "" {
		return
	}
	for _, line := range strings.Split(msg, "\n") {
		a.logf("%s", line)
	}
}

// reconcile brings the conflist and the routes in line with the Node cache.
func (a *agent) reconcile() {
	objs, err := a.nodes.List(labels.Everything())
	if err != nil {
		a.note("nodes", fmt.Sprintf("listing nodes from the cache: %v", err))
		return
	}
	a.note("nodes", "")
	nodes := make([]podnet.Node, 0, len(objs))
	var self *podnet.Node
	for _, o := range objs {
		n := podnet.NodeFromAPI(o)
		nodes = append(nodes, n)
		if n.Name == a.cfg.nodeName {
			self = &n
		}
	}
	a.syncConflist(self)
	a.syncRoutes(nodes)
}

func (a *agent) syncConflist(self *podnet.Node) {
	path := a.cfg.conflistPath()
	switch {
	case self == nil:
		a.note("conflist", fmt.Sprintf("waiting for node %s to appear in the API before writing %s", a.cfg.nodeName, path))
		return
	case len(self.PodCIDRs) == 0:
		a.note("conflist", fmt.Sprintf("waiting for node %s to be given a podCIDR before writing %s", self.Name, path))
		return
	}
	data, err := podnet.Conflist(self.PodCIDRs, a.cfg.mtu)
	if err != nil {
		a.note("conflist", fmt.Sprintf("cannot make a conflist for node %s: %v", self.Name, err))
		return
	}
	wrote, err := podnet.WriteFileIfChanged(path, data)
	if err != nil {
		a.note("conflist", fmt.Sprintf("writing %s: %v", path, err))
		return
	}
	state := fmt.Sprintf("%s holds the conflist for podCIDRs %v, mtu %d", path, self.PodCIDRs, a.cfg.mtu)
	if wrote {
		a.logf("wrote %s for podCIDRs %v, mtu %d", path, self.PodCIDRs, a.cfg.mtu)
		a.last["conflist"] = state
		return
	}
	a.note("conflist", state)
}

func (a *agent) syncRoutes(nodes []podnet.Node) {
	desired, skipped := podnet.DesiredRoutes(a.cfg.nodeName, nodes)
	a.note("skipped", strings.Join(prefixAll("no route: ", skipped), "\n"))

	current, err := a.kern.ListRoutes()
	if err != nil {
		a.note("routes", fmt.Sprintf("listing routes: %v", err))
		return
	}
	plan := podnet.Diff(desired, current)

	var failed []string
	for _, r := range plan.Delete {
		if err := a.kern.DeleteRoute(r); err != nil {
			failed = append(failed, fmt.Sprintf("deleting route %s: %v", r, err))
			continue
		}
		a.logf("deleted route %s", r)
	}
	for _, rep := range plan.Replace {
		if err := a.kern.ReplaceRoute(rep.To); err != nil {
			failed = append(failed, fmt.Sprintf("replacing route %s: %v", rep.To, err))
			continue
		}
		a.logf("replaced route %s via %s with %s", rep.From.Dst, rep.From.Gw, rep.To)
	}
	for _, r := range plan.Add {
		if err := a.kern.ReplaceRoute(r); err != nil {
			failed = append(failed, fmt.Sprintf("adding route %s: %v", r, err))
			continue
		}
		a.logf("added route %s", r)
	}
	var conflicts []string
	for _, c := range plan.Conflicts {
		conflicts = append(conflicts, fmt.Sprintf("not adding route %s: the main table already routes %s via %s with protocol %d, which podnet does not own",
			c.Want, c.Foreign.Dst, c.Foreign.Gw, c.Foreign.Protocol))
	}
	a.note("conflicts", strings.Join(conflicts, "\n"))
	a.note("routes", strings.Join(failed, "\n"))
}

func prefixAll(p string, lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = p + l
	}
	return out
}
