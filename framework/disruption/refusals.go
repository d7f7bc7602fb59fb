package disruption

import (
	"bytes"
	"slices"
	"strings"
	"sync"
)

// refusalLog keeps, per pod, the last eviction refusal the drain library
// printed, so a timed-out drain can say why each pod stayed. It is written
// from one goroutine per pod.
type refusalLog struct {
	mu      sync.Mutex
	partial []byte
	last    map[string]string
}

func newRefusalLog() *refusalLog { return &refusalLog{last: map[string]string{}} }

func (r *refusalLog) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.partial = append(r.partial, p...)
	for {
		i := bytes.IndexByte(r.partial, '\n')
		if i < 0 {
			break
		}
		r.record(string(r.partial[:i]))
		r.partial = r.partial[i+1:]
	}
	return len(p), nil
}

// record keeps lines like
//
//	error when evicting pods/"web-1" -n "sts" (will retry after 5s): Cannot evict pod ...
//
// keyed by the part before " (will retry", which names the pod.
func (r *refusalLog) record(line string) {
	if !strings.HasPrefix(line, "error when evicting") {
		return
	}
	key, _, _ := strings.Cut(line, " (will retry")
	r.last[key] = line
}

func (r *refusalLog) summary() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.last) == 0 {
		return ""
	}
	lines := make([]string, 0, len(r.last))
	for _, l := range r.last {
		lines = append(lines, "  "+l)
	}
	slices.Sort(lines)
	return "\nlast eviction refusals:\n" + strings.Join(lines, "\n")
}
