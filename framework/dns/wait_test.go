package dns

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func waitFor(what string) WaitInput {
	return WaitInput{What: what, Timeout: 30 * time.Millisecond, Poll: 5 * time.Millisecond}
}

// A DNS wait that fails opens with "DNS: " and says whether names went
// unanswered or answered wrong: what `make selftest` checks for a broken
// resolver.
func TestWait(t *testing.T) {
	nx := &NotFoundError{Name: "web-0.web", Probe: probe, Command: []string{"ping", "web-0.web"}, Output: "ping: bad address 'web-0.web'"}
	err := Wait(context.Background(), waitFor("web-0.web from sts/dns-probe"), func(context.Context) (string, error) { return "", nx }, func(string) bool { return true })
	if err == nil || !strings.HasPrefix(err.Error(), `DNS: web-0.web from sts/dns-probe: no answer within 30ms: name not found: "web-0.web" not found, from pod sts/dns-probe running ["ping" "web-0.web"]; output:`) ||
		!strings.Contains(err.Error(), "bad address") {
		t.Errorf("unanswered: %v", err)
	}
	err = Wait(context.Background(), waitFor("web-0.web from sts/dns-probe"), func(context.Context) (string, error) { return "10.0.0.1", nil },
		func(ip string) bool { return ip == "10.0.0.2" })
	if err == nil || !strings.HasPrefix(err.Error(), "DNS: web-0.web from sts/dns-probe: still answered 10.0.0.1 after 30ms") {
		t.Errorf("answered wrong: %v", err)
	}
	n := 0
	err = Wait(context.Background(), waitFor("x"), func(context.Context) (string, error) {
		if n++; n < 3 {
			return "", errors.New("timed out")
		}
		return "10.0.0.2", nil
	}, func(ip string) bool { return ip == "10.0.0.2" })
	if err != nil {
		t.Errorf("answered right on the third lookup: %v", err)
	}
}

// answers replies to each lookup command by its first words.
type answers map[string]string

func (a answers) Exec(_ context.Context, _ PodRef, cmd []string) (string, string, error) {
	for prefix, out := range a {
		if strings.HasPrefix(strings.Join(cmd, " "), prefix) {
			return out, "", nil
		}
	}
	return "", "", errors.New("unexpected command " + strings.Join(cmd, " "))
}

func TestWaitResolvesAndService(t *testing.T) {
	ex := answers{
		"ping -c 1 -W 1 web-0.web":                pingReply,
		"nslookup web-0.web.default":              bb136Single,
		"nslookup web.default":                    bb136Headless,
		"nslookup -type=SRV _http._tcp.web.defau": bb135SRV,
	}
	in := ResolvesInput{Exec: ex, Probe: probe, Short: "web-0.web", FQDN: "web-0.web.default.svc.cluster.local", IP: "10.244.2.109", WaitInput: waitFor("")}
	if err := WaitResolves(context.Background(), in); err != nil {
		t.Errorf("both names resolve: %v", err)
	}
	in.IP = "10.244.9.9"
	if err := WaitResolves(context.Background(), in); err == nil || !strings.HasPrefix(err.Error(), "DNS: web-0.web from sts/dns-probe: still answered 10.244.2.109") {
		t.Errorf("another address: %v", err)
	}
	svc := ServiceInput{Exec: ex, Probe: probe, Service: "web.default.svc.cluster.local", SRV: "_http._tcp.web.default.svc.cluster.local",
		IPs:       map[string]string{"web-1": "10.244.1.5", "web-0": "10.244.2.109"},
		Targets:   []string{"web-0.web.default.svc.cluster.local:8080", "web-1.web.default.svc.cluster.local:8080", "web-2.web.default.svc.cluster.local:8080"},
		WaitInput: waitFor("")}
	if err := WaitService(context.Background(), svc); err != nil {
		t.Errorf("the Service's name and SRV records answer: %v", err)
	}
	svc.Targets = svc.Targets[:2]
	if err := WaitService(context.Background(), svc); err == nil || !strings.HasPrefix(err.Error(), "DNS: SRV _http._tcp.web.default.svc.cluster.local from sts/dns-probe: still answered [web-0.web") {
		t.Errorf("an SRV record of a pod that is not ready: %v", err)
	}
	svc.IPs["web-2"] = "10.244.3.4"
	if err := WaitService(context.Background(), svc); err == nil || !strings.HasPrefix(err.Error(), "DNS: web.default.svc.cluster.local from sts/dns-probe (ready pods map[web-0:10.244.2.109 web-1:10.244.1.5 web-2:10.244.3.4]): still answered [10.244.1.5 10.244.2.109]") {
		t.Errorf("a ready pod missing from the answer: %v", err)
	}
}

func TestWaitGet(t *testing.T) {
	serves := func(body string) Execer {
		return ExecerFunc(func(context.Context, PodRef, []string) (string, string, error) { return body, "", nil })
	}
	in := GetInput{Exec: serves("1\n"), From: probe, URL: "http://10.0.0.1:8080/version", Want: "1", Limit: 3 * time.Second,
		What: "mesh-0 reaching mesh-1 at 10.0.0.1", Timeout: 30 * time.Millisecond, Poll: 5 * time.Millisecond}
	if err := WaitGet(context.Background(), in); err != nil {
		t.Errorf("served: %v", err)
	}
	in.Exec = serves("2\n")
	if err := WaitGet(context.Background(), in); err == nil || !strings.HasPrefix(err.Error(), `mesh-0 reaching mesh-1 at 10.0.0.1: not within 30ms; last: GET http://10.0.0.1:8080/version answered "2", want "1"`) {
		t.Errorf("another page: %v", err)
	}
}
