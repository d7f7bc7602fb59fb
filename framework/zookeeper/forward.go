package zookeeper

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/portforward"
	"k8s.io/client-go/transport/spdy"
	"k8s.io/streaming/pkg/httpstream"
)

// PortForward is a local address that reaches one port of a pod through the
// API server, as `kubectl port-forward` does.
type PortForward struct {
	// Addr is host:port on this machine.
	Addr string

	stop   chan struct{}
	done   chan struct{}
	once   sync.Once
	errOut *lockedBuffer
	err    error
}

// Forward opens a port-forward to the pod's port on a free local port. Close
// it when done. A pod that does not exist or is not running is an error
// here; a pod that does not listen on the port shows only when a
// connection through Addr is closed without an answer.
func Forward(ctx context.Context, cfg *rest.Config, c kubernetes.Interface, namespace, pod string, port int) (*PortForward, error) {
	if cfg == nil || c == nil {
		return nil, fmt.Errorf("port-forward to %s/%s: rest config and client are required", namespace, pod)
	}
	u := c.CoreV1().RESTClient().Post().Resource("pods").Namespace(namespace).Name(pod).SubResource("portforward").URL()
	dialer, err := newDialer(cfg, u)
	if err != nil {
		return nil, fmt.Errorf("port-forward to %s/%s: %w", namespace, pod, err)
	}
	pf := &PortForward{stop: make(chan struct{}), done: make(chan struct{}), errOut: &lockedBuffer{}}
	ready := make(chan struct{})
	fw, err := portforward.NewOnAddressesForStreaming(dialer, []string{"127.0.0.1"}, []string{fmt.Sprintf("0:%d", port)}, pf.stop, ready, io.Discard, pf.errOut)
	if err != nil {
		return nil, fmt.Errorf("port-forward to %s/%s: %w", namespace, pod, err)
	}
	go func() {
		defer close(pf.done)
		pf.err = fw.ForwardPorts()
	}()
	select {
	case <-ready:
	case <-pf.done:
		return nil, fmt.Errorf("port-forward to %s/%s:%d: %w%s", namespace, pod, port, pf.err, pf.errOut.suffix())
	case <-ctx.Done():
		pf.Close()
		return nil, fmt.Errorf("port-forward to %s/%s:%d: %w", namespace, pod, port, ctx.Err())
	}
	ports, err := fw.GetPorts()
	if err != nil || len(ports) != 1 {
		pf.Close()
		return nil, fmt.Errorf("port-forward to %s/%s:%d: no local port (%v)", namespace, pod, port, err)
	}
	pf.Addr = fmt.Sprintf("127.0.0.1:%d", ports[0].Local)
	return pf, nil
}

// Close stops forwarding and waits until the local listener is gone.
func (pf *PortForward) Close() {
	pf.once.Do(func() { close(pf.stop) })
	<-pf.done
}

// newDialer mirrors kubectl: SPDY tunnelled over WebSockets first (what
// current API servers prefer), plain SPDY when the upgrade is refused. The
// upgrade failure is k8s.io/streaming's type since client-go v0.37: testing
// for apimachinery's would never fall back.
func newDialer(cfg *rest.Config, u *url.URL) (httpstream.Dialer, error) {
	transport, upgrader, err := spdy.RoundTripperFor(cfg)
	if err != nil {
		return nil, err
	}
	spdyDialer := spdy.NewDialerForStreaming(upgrader, &http.Client{Transport: transport}, http.MethodPost, u)
	ws, err := portforward.NewSPDYOverWebsocketDialerForStreaming(u, cfg)
	if err != nil {
		return nil, err
	}
	return portforward.NewFallbackDialerForStreaming(ws, spdyDialer, func(err error) bool {
		return httpstream.IsUpgradeFailure(err) || httpstream.IsHTTPSProxyError(err)
	}), nil
}

// lockedBuffer keeps what the forwarder reports on its error stream, so a
// failure can say why.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) suffix() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s := strings.TrimSpace(l.b.String()); s != "" {
		return " (" + s + ")"
	}
	return ""
}
