package dns

import (
	"context"
	"net"
	"regexp"
	"strings"
)

// pingHeader matches the line busybox ping prints once the name resolved:
// "PING web-0.web (10.244.1.7): 56 data bytes".
var pingHeader = regexp.MustCompile(`^PING \S+ \(([^)]+)\)`)

// ResolveShort resolves name with ping in the probe pod, which goes through
// libc and so applies the pod's resolv.conf search list: "web-0.web" works.
// Whether the ping is answered does not matter; only the address it printed
// does. "bad address" is a *NotFoundError (see IsNotFound).
func ResolveShort(ctx context.Context, exec Execer, probe PodRef, name string) (string, error) {
	cmd := []string{"ping", "-c", "1", "-W", "1", name}
	stdout, stderr, err := exec.Exec(ctx, probe, cmd)
	ip, notFound := parsePing(stdout, stderr)
	if ip != "" {
		return ip, nil
	}
	if notFound {
		return "", &NotFoundError{Name: name, Probe: probe, Command: cmd, Output: stdout + stderr}
	}
	if err != nil {
		return "", lookupError(probe, cmd, stdout, stderr, err, "ping failed before resolving")
	}
	return "", lookupError(probe, cmd, stdout, stderr, nil, "no PING header with an address")
}

func parsePing(stdout, stderr string) (ip string, notFound bool) {
	for _, line := range strings.Split(stdout, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		// The header is the first thing ping prints; a later match would be
		// something else.
		if m := pingHeader.FindStringSubmatch(line); m != nil {
			if parsed := net.ParseIP(m[1]); parsed != nil {
				ip = parsed.String()
			}
		}
		break
	}
	notFound = strings.Contains(stdout+stderr, "bad address")
	return ip, notFound
}
