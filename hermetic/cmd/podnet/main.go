// Command podnet is a small kindnetd-like CNI agent for kind clusters with no
// container registry. Run as a hostNetwork DaemonSet (images/podnet), it
// watches Nodes and, on its own node:
//   - writes a ptp + host-local CNI conflist for the node's podCIDR into the
//     CNI config directory, atomically and only when it changes;
//   - keeps one route per other node's podCIDR via that node's InternalIP,
//     marked with its own routing protocol (podnet.RouteProtocol) so that it
//     only ever replaces or deletes routes it made.
//
// It reacts to Node events through a shared informer and repairs drift on a
// periodic resync. Routes and the conflist are left in place on exit, so
// running pods keep working while the agent restarts.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"

	"github.com/stsconform/stsconform/hermetic/podnet"
)

type config struct {
	nodeName     string
	confDir      string
	conflistName string
	mtu          int // 0: detect from the default route's interface
	resync       time.Duration
	// controlPlane is host:port of the API server, from kind's
	// CONTROL_PLANE_ENDPOINT; empty means the in-cluster service address.
	controlPlane string
	// podSubnet is the cluster pod subnet kind rendered into the manifest
	// (POD_SUBNET); only logged, routes come from each Node's podCIDRs.
	podSubnet string
}

func (c config) conflistPath() string { return filepath.Join(c.confDir, c.conflistName) }

func main() {
	log.SetFlags(log.LstdFlags | log.LUTC)
	log.SetPrefix("podnet: ")
	if err := run(os.Args[1:], os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "podnet: "+oneLine(err.Error()))
		os.Exit(1)
	}
}

// parseConfig reads flags and environment. Errors are meant for one line.
func parseConfig(args []string, getenv func(string) string, usage io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("podnet", flag.ContinueOnError)
	fs.SetOutput(usage)
	fs.StringVar(&c.nodeName, "node-name", getenv("NODE_NAME"), "this node's name (default $NODE_NAME, set from the downward API spec.nodeName)")
	fs.StringVar(&c.confDir, "cni-conf-dir", "/etc/cni/net.d", "directory the container runtime loads CNI configs from")
	fs.StringVar(&c.conflistName, "conflist-name", "10-podnet.conflist", "file name of the conflist written in --cni-conf-dir")
	fs.IntVar(&c.mtu, "mtu", 0, "MTU of pod interfaces; 0 takes the MTU of the default route's interface, or 1500 if that cannot be read")
	fs.DurationVar(&c.resync, "resync", 30*time.Second, "period of the full reconcile that repairs drift")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	c.nodeName = strings.TrimSpace(c.nodeName)
	if c.nodeName == "" {
		return c, errors.New("NODE_NAME is not set: set it from the downward API (fieldRef spec.nodeName) or pass --node-name")
	}
	if c.conflistName == "" || strings.ContainsRune(c.conflistName, '/') || !strings.HasSuffix(c.conflistName, ".conflist") {
		return c, fmt.Errorf("--conflist-name %q must be a plain file name ending in .conflist", c.conflistName)
	}
	if c.mtu != 0 && (c.mtu < 68 || c.mtu > 65535) {
		return c, fmt.Errorf("--mtu %d out of range [68, 65535]", c.mtu)
	}
	if c.resync < time.Second {
		return c, fmt.Errorf("--resync %s is too short (at least 1s)", c.resync)
	}
	c.podSubnet = strings.TrimSpace(getenv("POD_SUBNET"))
	if ep := strings.TrimSpace(getenv("CONTROL_PLANE_ENDPOINT")); ep != "" {
		if _, _, err := net.SplitHostPort(ep); err != nil {
			return c, fmt.Errorf("CONTROL_PLANE_ENDPOINT %q is not host:port: %v", ep, err)
		}
		c.controlPlane = ep
	}
	return c, nil
}

// restConfig is the in-cluster config, pointed straight at the API server
// when kind gave us its endpoint: kube-proxy may not have programmed the
// kubernetes Service yet when the CNI starts, and nothing else needs us to
// wait for it.
func restConfig(c config) (*rest.Config, error) {
	rc, err := rest.InClusterConfig()
	if err != nil {
		return nil, fmt.Errorf("no in-cluster config (podnet runs as a pod with a service account): %v", err)
	}
	if c.controlPlane != "" {
		rc.Host = "https://" + c.controlPlane
	}
	rc.UserAgent = "podnet"
	return rc, nil
}

func run(args []string, getenv func(string) string) error {
	c, err := parseConfig(args, getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	rc, err := restConfig(c)
	if err != nil {
		return err
	}
	cs, err := kubernetes.NewForConfig(rc)
	if err != nil {
		return fmt.Errorf("kubernetes client: %v", err)
	}
	if c.mtu == 0 {
		mtu, dev, err := defaultRouteMTU()
		if err != nil {
			log.Printf("mtu: %v; using 1500", err)
			mtu = 1500
		} else {
			log.Printf("mtu %d from %s, the default route's interface", mtu, dev)
		}
		c.mtu = mtu
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	factory := informers.NewSharedInformerFactory(cs, 0)
	nodeInformer := factory.Core().V1().Nodes()
	inf := nodeInformer.Informer()
	if err := inf.SetTransform(slimNode); err != nil {
		return fmt.Errorf("node informer: %v", err)
	}
	kick := make(chan struct{}, 1)
	if _, err := inf.AddEventHandler(nodeEvents(kick)); err != nil {
		return fmt.Errorf("node informer: %v", err)
	}

	api := "the in-cluster API address"
	if c.controlPlane != "" {
		api = c.controlPlane
	}
	log.Printf("starting on node %s: conflist %s, mtu %d, resync %s, API server %s, cluster pod subnet %q",
		c.nodeName, c.conflistPath(), c.mtu, c.resync, api, c.podSubnet)
	factory.Start(ctx.Done())
	defer factory.Shutdown()
	if !cache.WaitForCacheSync(ctx.Done(), inf.HasSynced) {
		if ctx.Err() != nil {
			return nil // stopped before the first list; nothing to clean up
		}
		return errors.New("node informer did not sync")
	}

	a := newAgent(c, nodeInformer.Lister(), netlinkKernel{}, log.Printf)
	ticker := time.NewTicker(c.resync)
	defer ticker.Stop()
	for {
		a.reconcile()
		select {
		case <-ctx.Done():
			log.Printf("stopping; routes and %s left in place", c.conflistPath())
			return nil
		case <-kick:
		case <-ticker.C:
		}
	}
}

// nodeEvents asks for a reconcile (a non-blocking send on a 1-slot channel,
// so bursts coalesce) when a node comes, goes, or changes in a way that
// matters: pod CIDRs, InternalIPs or readiness; not on heartbeats.
func nodeEvents(kick chan<- struct{}) cache.ResourceEventHandlerFuncs {
	poke := func() {
		select {
		case kick <- struct{}{}:
		default:
		}
	}
	return cache.ResourceEventHandlerFuncs{
		AddFunc: func(any) { poke() },
		UpdateFunc: func(oldObj, newObj any) {
			o, ok1 := oldObj.(*corev1.Node)
			n, ok2 := newObj.(*corev1.Node)
			if !ok1 || !ok2 || !reflect.DeepEqual(podnet.NodeFromAPI(o), podnet.NodeFromAPI(n)) {
				poke()
			}
		},
		DeleteFunc: func(any) { poke() },
	}
}

// slimNode drops what podnet never reads from cached Nodes (image lists,
// managed fields), which is most of a Node's size.
func slimNode(obj any) (any, error) {
	if n, ok := obj.(*corev1.Node); ok {
		n.ManagedFields = nil
		n.Status.Images = nil
	}
	return obj, nil
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
