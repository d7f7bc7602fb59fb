package dns

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// SRV is one SRV record of an answer.
type SRV struct {
	Priority, Weight, Port int
	// Target is the host name, without the root's trailing dot.
	Target string
}

func (s SRV) String() string {
	return fmt.Sprintf("%d %d %d %s", s.Priority, s.Weight, s.Port, s.Target)
}

// ResolveSRV looks the SRV records of name up with `nslookup -type=SRV`
// in the probe pod (busybox 1.35 and later: 1.28's nslookup has no -type).
// A resolver answer of "no such name" is a *NotFoundError.
func ResolveSRV(ctx context.Context, exec Execer, probe PodRef, name string) ([]SRV, error) {
	cmd := []string{"nslookup", "-type=SRV", name}
	stdout, stderr, err := exec.Exec(ctx, probe, cmd)
	recs, notFound := parseSRV(stdout + "\n" + stderr)
	if len(recs) > 0 {
		return recs, nil
	}
	if notFound {
		return nil, &NotFoundError{Name: name, Probe: probe, Command: cmd, Output: stdout + stderr}
	}
	if err != nil {
		return nil, lookupError(probe, cmd, stdout, stderr, err, "nslookup failed")
	}
	return nil, lookupError(probe, cmd, stdout, stderr, nil, "no SRV record in the answer")
}

// parseSRV reads busybox's SRV answer lines,
//
//	_http._tcp.web.default.svc.cluster.local	service = 0 33 8080 web-0.web.default.svc.cluster.local
//
// and skips any line that does not have that shape.
func parseSRV(out string) (recs []SRV, notFound bool) {
	for _, line := range strings.Split(out, "\n") {
		lower := strings.ToLower(line)
		if strings.Contains(lower, "can't find") || strings.Contains(lower, "nxdomain") {
			// "No answer" for a name that exists but has no SRV record
			// is a not-found too: there is nothing to list.
			notFound = true
			continue
		}
		_, rest, ok := strings.Cut(line, "service = ")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 4 {
			continue
		}
		var nums [3]int
		bad := false
		for i := range nums {
			n, err := strconv.Atoi(f[i])
			if err != nil {
				bad = true
				break
			}
			nums[i] = n
		}
		if bad {
			continue
		}
		recs = append(recs, SRV{Priority: nums[0], Weight: nums[1], Port: nums[2], Target: strings.TrimSuffix(f[3], ".")})
	}
	return recs, notFound
}
