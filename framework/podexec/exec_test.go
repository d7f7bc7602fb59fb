package podexec

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/rest"
	utilexec "k8s.io/client-go/util/exec"
)

func TestExecRejectsIncompleteInput(t *testing.T) {
	cases := map[string]ExecInput{
		"no pod":           {Namespace: "ns", Command: []string{"true"}, Timeout: time.Second},
		"no command":       {Namespace: "ns", Pod: "p", Timeout: time.Second},
		"negative timeout": {Namespace: "ns", Pod: "p", Command: []string{"true"}, Timeout: -time.Second},
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Exec(context.Background(), &rest.Config{Host: "http://127.0.0.1:1"}, fake.NewClientset(), in)
			if err == nil {
				t.Fatal("expected an error")
			}
		})
	}
}

func TestExecWithFakeClientsetFailsCleanly(t *testing.T) {
	in := ExecInput{Namespace: "ns", Pod: "web-0", Command: []string{"hostname"}, Timeout: time.Second}
	_, err := Exec(context.Background(), &rest.Config{Host: "http://127.0.0.1:1"}, fake.NewClientset(), in)
	if err == nil || !strings.Contains(err.Error(), "web-0") {
		t.Fatalf("want an error naming the pod, got %v", err)
	}
}

// An API server that refuses both upgrades shows that the WebSocket attempt
// (GET) is made first and SPDY (POST) is tried after the upgrade failure,
// and that the final error names the pod and the command.
func TestExecFallsBackToSPDYAndReportsPodAndCommand(t *testing.T) {
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
	in := ExecInput{Namespace: "ns", Pod: "web-0", Container: "nginx", Command: []string{"cat", "/etc/hostname"}}
	_, err = Exec(ctx, cfg, c, in)
	if err == nil {
		t.Fatal("expected an error")
	}
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("want *Error, got %T: %v", err, err)
	}
	if pe.ExitCode != -1 {
		t.Errorf("ExitCode = %d, want -1 for a command that never ran", pe.ExitCode)
	}
	for _, want := range []string{"ns/web-0", "nginx", `"cat" "/etc/hostname"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}

	mu.Lock()
	defer mu.Unlock()
	const path = "/api/v1/namespaces/ns/pods/web-0/exec"
	if len(seen) != 2 || seen[0] != "GET "+path || seen[1] != "POST "+path {
		t.Errorf("requests = %q, want GET then POST to %s", seen, path)
	}
}

func TestErrorCarriesExitCodeAndOutput(t *testing.T) {
	in := ExecInput{Namespace: "ns", Pod: "probe", Command: []string{"ping", "-c", "1", "web-0.web"}}
	res := Result{Stdout: "PING web-0.web (10.244.1.7): 56 data bytes\n", Stderr: "1 packets transmitted, 0 received\n"}
	inner := utilexec.CodeExitError{Err: errors.New("command terminated with non-zero exit code"), Code: 1}
	err := error(newError(in, res, inner))

	code, ok := ExitCode(err)
	if !ok || code != 1 {
		t.Fatalf("ExitCode = %d, %v; want 1, true", code, ok)
	}
	msg := err.Error()
	for _, want := range []string{"ns/probe", `"ping" "-c" "1" "web-0.web"`, "exit code 1", "PING web-0.web (10.244.1.7)", "0 received"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	var ce utilexec.CodeExitError
	if !errors.As(err, &ce) {
		t.Error("the CodeExitError must stay reachable with errors.As")
	}
}
