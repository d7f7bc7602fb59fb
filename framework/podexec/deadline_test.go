package podexec

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/rest"
)

func TestExecRequiresADeadline(t *testing.T) {
	in := ExecInput{Namespace: "ns", Pod: "web-0", Command: []string{"hostname"}}
	_, err := Exec(context.Background(), &rest.Config{Host: "http://127.0.0.1:1"}, fake.NewClientset(), in)
	if err == nil || !strings.Contains(err.Error(), `exec ["hostname"] in pod ns/web-0: no deadline`) {
		t.Fatalf("an exec without a deadline = %v", err)
	}
}

// silentExecServer accepts the exec's WebSocket upgrade (protocol v5, as a
// kubelet would) and then sends nothing: a command that never ends, or a
// stream nobody closes.
func silentExecServer(t *testing.T) *httptest.Server {
	t.Helper()
	const guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "websocket" {
			http.Error(w, "websocket only", http.StatusBadRequest)
			return
		}
		sum := sha1.Sum([]byte(r.Header.Get("Sec-WebSocket-Key") + guid))
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		_, _ = buf.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
			"Sec-WebSocket-Accept: " + base64.StdEncoding.EncodeToString(sum[:]) + "\r\n" +
			"Sec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n")
		_ = buf.Flush()
		<-release
	}))
	t.Cleanup(func() {
		close(release)
		srv.Close()
	})
	return srv
}

func TestExecStuckStreamEndsAtItsTimeout(t *testing.T) {
	srv := silentExecServer(t)
	cfg := &rest.Config{Host: srv.URL}
	c, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	in := ExecInput{Namespace: "ns", Pod: "web-0", Container: "web", Command: []string{"sleep", "3600"}, Timeout: 300 * time.Millisecond}
	// A safety net far beyond the exec's own timeout, so that a missing
	// deadline fails the test instead of hanging it.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	_, err = Exec(ctx, cfg, c, in)
	took := time.Since(start)
	if err == nil {
		t.Fatal("a stream that never ends returned no error")
	}
	if took > 5*time.Second {
		t.Errorf("returned after %s, want about the 300ms timeout", took)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error is not a deadline error: %v", err)
	}
	for _, want := range []string{`exec ["sleep" "3600"] in pod ns/web-0 container web`, "no result within 300ms"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	t.Logf("after %s: %v", took.Round(time.Millisecond), err)
}
