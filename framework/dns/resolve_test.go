package dns

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	utilexec "k8s.io/client-go/util/exec"
)

var probe = PodRef{Namespace: "sts", Name: "dns-probe", Container: "probe"}

// scripted answers one command with fixed output and records what it ran.
type scripted struct {
	stdout, stderr string
	exitCode       int
	ran            []string
	pod            PodRef
}

func (s *scripted) Exec(_ context.Context, pod PodRef, cmd []string) (string, string, error) {
	s.ran, s.pod = cmd, pod
	var err error
	if s.exitCode != 0 {
		err = utilexec.CodeExitError{Err: errors.New("command terminated with non-zero exit code"), Code: s.exitCode}
	}
	return s.stdout, s.stderr, err
}

func TestResolveFQDN(t *testing.T) {
	const fqdn = "web-0.web.sts.svc.cluster.local"
	t.Run("answer", func(t *testing.T) {
		ex := &scripted{stdout: bb136Single}
		ips, err := ResolveFQDN(context.Background(), ex, probe, fqdn)
		if err != nil || !slices.Equal(ips, []string{"10.244.2.109"}) {
			t.Fatalf("got %q, %v", ips, err)
		}
		if !slices.Equal(ex.ran, []string{"nslookup", fqdn}) || ex.pod != probe {
			t.Errorf("ran %q in %v", ex.ran, ex.pod)
		}
	})
	t.Run("answer despite exit 1 for AAAA", func(t *testing.T) {
		ips, err := ResolveFQDN(context.Background(), &scripted{stdout: bb136NoAAAA, exitCode: 1}, probe, fqdn)
		if err != nil || !slices.Equal(ips, []string{"10.244.2.109"}) {
			t.Fatalf("got %q, %v", ips, err)
		}
	})
	for name, ex := range map[string]*scripted{
		"1.35 NXDOMAIN":      {stdout: bb135NXDomain, exitCode: 1},
		"1.28 can't resolve": {stdout: bb128NXStdout, stderr: bb128NXStderr, exitCode: 1},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ResolveFQDN(context.Background(), ex, probe, fqdn)
			var nf *NotFoundError
			if !IsNotFound(err) || !errors.As(err, &nf) {
				t.Fatalf("want a NotFoundError, got %v", err)
			}
			if nf.Name != fqdn || !strings.Contains(err.Error(), "sts/dns-probe") || !strings.Contains(err.Error(), "can't") {
				t.Errorf("error lacks evidence: %v", err)
			}
		})
	}
	t.Run("timeout is not not-found", func(t *testing.T) {
		_, err := ResolveFQDN(context.Background(), &scripted{stdout: bb136Timeout, exitCode: 1}, probe, fqdn)
		if err == nil || IsNotFound(err) {
			t.Fatalf("want a lookup error, got %v", err)
		}
		var ce utilexec.CodeExitError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "no servers could be reached") {
			t.Errorf("error must wrap the exit and show the output: %v", err)
		}
	})
}

func TestResolveShort(t *testing.T) {
	t.Run("no reply still resolves", func(t *testing.T) {
		ex := &scripted{stdout: pingNoReply, exitCode: 1}
		ip, err := ResolveShort(context.Background(), ex, probe, "web-0.web")
		if err != nil || ip != "10.244.2.109" {
			t.Fatalf("got %q, %v", ip, err)
		}
		if !slices.Equal(ex.ran, []string{"ping", "-c", "1", "-W", "1", "web-0.web"}) {
			t.Errorf("ran %q", ex.ran)
		}
	})
	t.Run("bad address", func(t *testing.T) {
		_, err := ResolveShort(context.Background(), &scripted{stderr: pingBadAddress, exitCode: 1}, probe, "web-9.web")
		if !IsNotFound(err) || !strings.Contains(err.Error(), "bad address 'web-9.web'") {
			t.Fatalf("want a NotFoundError with the output, got %v", err)
		}
	})
	t.Run("ping unusable", func(t *testing.T) {
		_, err := ResolveShort(context.Background(), &scripted{stderr: pingNoRaw, exitCode: 1}, probe, "web-0.web")
		if err == nil || IsNotFound(err) || !strings.Contains(err.Error(), "permission denied") {
			t.Fatalf("want a lookup error with the output, got %v", err)
		}
	})
}
