package dns

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// HTTPLimit bounds one GET inside the probe pod: a served page answers in
// milliseconds, and it must stay well under the exec's own timeout so that
// a hung request fails with wget's output, not as a stalled exec.
const HTTPLimit = 5 * time.Second

// HTTPGet fetches url from the probe pod with busybox wget, bounded by
// `timeout` (not `wget -T`: Debian's static busybox 1.35 segfaults on it),
// and returns the body. The error carries the command and its output.
func HTTPGet(ctx context.Context, exec Execer, probe PodRef, url string, limit time.Duration) (string, error) {
	secs := int(limit / time.Second)
	if secs < 1 {
		secs = 1
	}
	cmd := []string{"timeout", strconv.Itoa(secs), "wget", "-q", "-O", "-", url}
	stdout, stderr, err := exec.Exec(ctx, probe, cmd)
	if err != nil {
		return "", fmt.Errorf("GET %s from pod %s with %q: %w\nstdout:\n%s\nstderr:\n%s",
			url, probe, cmd, err, strings.TrimRight(stdout, "\n"), strings.TrimRight(stderr, "\n"))
	}
	return stdout, nil
}
