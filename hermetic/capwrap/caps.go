// Package capwrap filters the capabilities an OCI runtime is asked to grant
// down to those the calling process may still hold.
//
// Some virtual machines run every process with a capability bounding set that
// lacks a capability (CAP_SYS_RESOURCE on the machines this project was built
// on). A privileged container asks for every capability, so runc fails with
// "unable to apply caps: operation not permitted". Dropping exactly the
// capabilities missing from the bounding set lets privileged containers (kind
// nodes, kube-proxy) start, and changes nothing where the set is full.
package capwrap

import (
	"fmt"
	"math/bits"
	"os"
	"strconv"
	"strings"
)

// Set is a capability bitmask as printed in /proc/<pid>/status.
type Set uint64

// Names of the Linux capabilities by bit number, as the OCI spec spells them.
var names = []string{
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
	"CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
	"CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
	"CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
	"CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
}

// ParseStatus reads the CapBnd line out of the text of /proc/<pid>/status.
func ParseStatus(status string) (Set, error) {
	for _, line := range strings.Split(status, "\n") {
		rest, ok := strings.CutPrefix(line, "CapBnd:")
		if !ok {
			continue
		}
		v, err := strconv.ParseUint(strings.TrimSpace(rest), 16, 64)
		if err != nil {
			return 0, fmt.Errorf("parse CapBnd %q: %w", strings.TrimSpace(rest), err)
		}
		return Set(v), nil
	}
	return 0, fmt.Errorf("no CapBnd line in process status")
}

// Bounding returns the bounding set of the current process.
func Bounding() (Set, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	return ParseStatus(string(b))
}

// Has reports whether the named capability (e.g. "CAP_SYS_RESOURCE") is in the
// set. Names this package does not know are kept: they belong to a newer
// kernel and the runtime is the better judge of them.
func (s Set) Has(name string) bool {
	for bit, n := range names {
		if n == name {
			return s&(1<<uint(bit)) != 0
		}
	}
	return true
}

// Missing lists the known capabilities that are not in s, limited to those the
// running kernel knows of (the highest bit set in a full set tells which).
func (s Set) Missing(kernelMax int) []string {
	var out []string
	for bit, n := range names {
		if bit > kernelMax {
			break
		}
		if s&(1<<uint(bit)) == 0 {
			out = append(out, n)
		}
	}
	return out
}

// KernelMax guesses the highest capability bit the kernel knows from a
// bounding set: the top set bit.
func (s Set) KernelMax() int { return 63 - bits.LeadingZeros64(uint64(s)) }

// Filter returns caps without the entries s does not hold, and those removed.
func (s Set) Filter(caps []string) (kept, dropped []string) {
	kept = make([]string, 0, len(caps))
	for _, c := range caps {
		if s.Has(c) {
			kept = append(kept, c)
		} else {
			dropped = append(dropped, c)
		}
	}
	return kept, dropped
}
