package dns

import (
	"context"
	"net"
	"strings"
)

// ResolveFQDN looks fqdn up with nslookup in the probe pod and returns its
// IPv4 addresses in the order the server gave them. The name must be fully
// qualified: busybox's nslookup does not apply the search list. A resolver
// answer of "no such name" is a *NotFoundError (see IsNotFound).
func ResolveFQDN(ctx context.Context, exec Execer, probe PodRef, fqdn string) ([]string, error) {
	cmd := []string{"nslookup", fqdn}
	stdout, stderr, err := exec.Exec(ctx, probe, cmd)
	ans := parseNslookup(stdout + "\n" + stderr)
	// Addresses win over the exit code: busybox also queries AAAA and may
	// report "Can't find ...: No answer" (and exit 1) for it after printing
	// the A records.
	if len(ans.ipv4) > 0 {
		return ans.ipv4, nil
	}
	if ans.notFound {
		return nil, &NotFoundError{Name: fqdn, Probe: probe, Command: cmd, Output: stdout + stderr}
	}
	if err != nil {
		return nil, lookupError(probe, cmd, stdout, stderr, err, "nslookup failed")
	}
	return nil, lookupError(probe, cmd, stdout, stderr, nil, "no IPv4 address in the answer")
}

type nslookupAnswer struct {
	ipv4     []string
	notFound bool
}

// parseNslookup reads both busybox formats:
//
//	1.28:  Address 1: 10.244.2.109 web-0.web.default.svc.cluster.local
//	1.35+: Name:    web-0.web.default.svc.cluster.local
//	       Address: 10.244.2.109
//
// Everything before the first "Name:" describes the DNS server itself
// (its own "Address" lines included) and is skipped.
func parseNslookup(out string) nslookupAnswer {
	var ans nslookupAnswer
	seen := map[string]bool{}
	inAnswer := false
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		lower := strings.ToLower(line)
		switch {
		case strings.Contains(lower, "can't find"), strings.Contains(lower, "can't resolve"), strings.Contains(lower, "nxdomain"):
			ans.notFound = true
		case strings.HasPrefix(line, "Name:"):
			inAnswer = true
		case inAnswer && strings.HasPrefix(line, "Address"):
			ip := answerAddress(line)
			if ip != "" && !seen[ip] {
				seen[ip] = true
				ans.ipv4 = append(ans.ipv4, ip)
			}
		}
	}
	return ans
}

// answerAddress returns the IPv4 address of an "Address:" or "Address N:"
// line, or "" for anything else (IPv6 answers included).
func answerAddress(line string) string {
	_, rest, ok := strings.Cut(line, ":")
	if !ok {
		return ""
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return ""
	}
	ip := net.ParseIP(fields[0])
	if ip == nil || ip.To4() == nil {
		return ""
	}
	return ip.String()
}
