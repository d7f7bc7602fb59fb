// Command capwrap is an OCI runtime wrapper: it drops from a container's
// requested capabilities those missing from this process's bounding set,
// then execs the real runc with the same arguments. Register it with dockerd
// (runtimes) or containerd (runc BinaryName) on hosts whose bounding set is
// not full; see internal/capwrap for why.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"

	"github.com/stsconform/stsconform/hermetic/capwrap"
)

// realRuncCandidates are tried in order; the first that exists and is not
// this binary wins. CAPWRAP_RUNC overrides them.
var realRuncCandidates = []string{"/usr/sbin/runc", "/usr/bin/runc", "/usr/local/sbin/runc"}

func main() {
	// hack/docker-up.sh asks this to decide whether the wrapper is needed.
	if len(os.Args) == 2 && os.Args[1] == "--capwrap-missing" {
		set, err := capwrap.Bounding()
		if err != nil {
			fmt.Fprintln(os.Stderr, "capwrap:", err)
			os.Exit(1)
		}
		for _, name := range set.Missing(set.KernelMax()) {
			fmt.Println(name)
		}
		return
	}
	runc, err := findRunc()
	if err != nil {
		fmt.Fprintln(os.Stderr, "capwrap:", err)
		os.Exit(127)
	}
	if err := filter(os.Args[1:]); err != nil {
		// runc's own error would be the confusing "unable to apply caps";
		// say what went wrong before it.
		fmt.Fprintln(os.Stderr, "capwrap:", err)
		os.Exit(1)
	}
	argv := append([]string{"runc"}, os.Args[1:]...)
	if err := syscall.Exec(runc, argv, os.Environ()); err != nil {
		fmt.Fprintf(os.Stderr, "capwrap: exec %s: %v\n", runc, err)
		os.Exit(127)
	}
}

func filter(args []string) error {
	cwd, err := os.Getwd()
	if err != nil {
		return err
	}
	t := capwrap.FindTarget(args, cwd)
	if t.Path == "" {
		return nil
	}
	set, err := capwrap.Bounding()
	if err != nil {
		return err
	}
	return capwrap.FilterFile(t.Path, set, t.IsBundleConfig)
}

func findRunc() (string, error) {
	self, _ := os.Executable()
	candidates := realRuncCandidates
	if v := os.Getenv("CAPWRAP_RUNC"); v != "" {
		candidates = []string{v}
	}
	for _, c := range candidates {
		if c == self {
			continue
		}
		if _, err := os.Stat(c); err == nil {
			return c, nil
		}
	}
	if p, err := exec.LookPath("runc"); err == nil && p != self {
		return p, nil
	}
	return "", fmt.Errorf("no runc binary found (tried %v)", candidates)
}
