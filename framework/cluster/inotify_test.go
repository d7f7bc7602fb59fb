package cluster

import (
	"testing"
)

func sysctls(instances, watches int) []Sysctl {
	s := append([]Sysctl(nil), KindInotify...)
	s[0].Have, s[1].Have = instances, watches
	return s
}

func TestPlanSysctls(t *testing.T) {
	// The values seen on this project's machines.
	low, err := PlanSysctls(sysctls(128, 192536), true)
	if err != nil || len(low) != 2 || low[0].Key != "fs.inotify.max_user_instances" || low[1].Want != 524288 {
		t.Fatalf("root: want both raised, got %+v, %v", low, err)
	}

	_, err = PlanSysctls(sysctls(128, 192536), false)
	want := "host limits too low for kind (fs.inotify.max_user_instances=128, kind recommends 512; fs.inotify.max_user_watches=192536, kind recommends 524288): run sudo sysctl -w fs.inotify.max_user_instances=512 fs.inotify.max_user_watches=524288"
	if err == nil || err.Error() != want {
		t.Fatalf("not root: want\n  %s\ngot\n  %v", want, err)
	}

	_, err = PlanSysctls(sysctls(8192, 192536), false)
	want = "host limits too low for kind (fs.inotify.max_user_watches=192536, kind recommends 524288): run sudo sysctl -w fs.inotify.max_user_watches=524288"
	if err == nil || err.Error() != want {
		t.Fatalf("only watches low: want\n  %s\ngot\n  %v", want, err)
	}

	for _, root := range []bool{true, false} {
		if low, err := PlanSysctls(sysctls(512, 1048576), root); err != nil || len(low) != 0 {
			t.Fatalf("limits at or above the recommendation must pass untouched (root=%v): %+v, %v", root, low, err)
		}
	}
}
