package zookeeper

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// An API server that refuses both upgrades shows the WebSocket tunnel
// (GET) tried first and plain SPDY (POST) after its upgrade failure, as
// kubectl port-forward does; the error names the pod and port.
func TestForwardFallsBackToSPDY(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path)
		mu.Unlock()
		http.Error(w, "upgrades refused by test server", http.StatusForbidden)
	}))
	defer srv.Close()
	cfg := &rest.Config{Host: srv.URL}
	c, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	pf, err := Forward(ctx, cfg, c, "ns", "zk-0", 2181)
	if err == nil {
		pf.Close()
		t.Fatal("expected an error")
	}
	if !strings.Contains(err.Error(), "ns/zk-0:2181") {
		t.Errorf("error does not name the pod and port: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	const path = "/api/v1/namespaces/ns/pods/zk-0/portforward"
	if len(seen) != 2 || seen[0] != "GET "+path || seen[1] != "POST "+path {
		t.Errorf("requests = %q, want GET then POST to %s", seen, path)
	}
}
