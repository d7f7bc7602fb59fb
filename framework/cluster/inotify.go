package cluster

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Sysctl is one kernel setting, its value now and the value it needs.
type Sysctl struct {
	Key  string // as sysctl names it, e.g. fs.inotify.max_user_instances
	Have int
	Want int
}

func (s Sysctl) path() string { return "/proc/sys/" + strings.ReplaceAll(s.Key, ".", "/") }

// KindInotify is kind's recommendation (known issues, "Pod errors due to
// too many open files"): below it, kubelets of a multi-node cluster die in
// cAdvisor's inotify_init and never register, while the control plane
// comes up.
var KindInotify = []Sysctl{
	{Key: "fs.inotify.max_user_instances", Want: 512},
	{Key: "fs.inotify.max_user_watches", Want: 524288},
}

// PlanSysctls returns the settings below what they need. With root they are
// to be raised; without, the error is one line naming the sysctl to run.
func PlanSysctls(have []Sysctl, root bool) ([]Sysctl, error) {
	var low []Sysctl
	for _, s := range have {
		if s.Have < s.Want {
			low = append(low, s)
		}
	}
	if len(low) == 0 || root {
		return low, nil
	}
	return nil, fmt.Errorf("host limits too low for kind (%s): run sudo sysctl -w %s", describeSysctls(low), assignSysctls(low))
}

func describeSysctls(ss []Sysctl) string {
	var parts []string
	for _, s := range ss {
		parts = append(parts, fmt.Sprintf("%s=%d, kind recommends %d", s.Key, s.Have, s.Want))
	}
	return strings.Join(parts, "; ")
}

func assignSysctls(ss []Sysctl) string {
	var parts []string
	for _, s := range ss {
		parts = append(parts, fmt.Sprintf("%s=%d", s.Key, s.Want))
	}
	return strings.Join(parts, " ")
}

// EnsureHostLimits reads kind's recommended inotify limits, raises the low
// ones when this process is root, and returns one line saying what it
// raised ("" when nothing). A host without these files (not Linux) passes.
func EnsureHostLimits() (string, error) {
	have := make([]Sysctl, 0, len(KindInotify))
	for _, s := range KindInotify {
		raw, err := os.ReadFile(s.path())
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("read %s: %w", s.Key, err)
		}
		if s.Have, err = strconv.Atoi(strings.TrimSpace(string(raw))); err != nil {
			return "", fmt.Errorf("read %s: %q is not a number", s.Key, raw)
		}
		have = append(have, s)
	}
	low, err := PlanSysctls(have, os.Geteuid() == 0)
	if err != nil || len(low) == 0 {
		return "", err
	}
	for _, s := range low {
		if err := os.WriteFile(s.path(), []byte(strconv.Itoa(s.Want)+"\n"), 0o644); err != nil {
			return "", fmt.Errorf("host limits too low for kind (%s) and raising them failed (%v): run sysctl -w %s", describeSysctls(low), err, assignSysctls(low))
		}
	}
	var parts []string
	for _, s := range low {
		parts = append(parts, fmt.Sprintf("%s %d -> %d", s.Key, s.Have, s.Want))
	}
	return fmt.Sprintf("raised host limits to kind's recommendation (%s; until reboot): kubelets die with \"too many open files\" below them", strings.Join(parts, ", ")), nil
}
