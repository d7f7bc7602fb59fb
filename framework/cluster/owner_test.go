package cluster

import (
	"errors"
	"os"
	osexec "os/exec"
	"strings"
	"testing"
	"time"
)

func TestPlanExisting(t *testing.T) {
	created := time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)
	kept := &Marker{Mode: ModeKeep, By: "cluster-up", Image: "localhost/stsconform/node:v1.34.3", Created: created}
	temp := &Marker{Mode: ModeTemporary, By: "e2e", RunID: "20261125-180000-abcd", Created: created, PID: 4242}
	cases := []struct {
		name      string
		in        PlanInput
		want      Plan
		wantError string // the whole first line, or "" for no error
	}{
		{name: "nothing there", in: PlanInput{Name: "stsconform"}, want: PlanCreate},
		{name: "kept by cluster-up, suite reuses it",
			in:   PlanInput{Name: "stsconform", ReuseKept: true, Image: kept.Image, Found: Found{Exists: true, Marker: kept}},
			want: PlanReuse},
		{name: "kept, suite names no image",
			in:   PlanInput{Name: "stsconform", ReuseKept: true, Found: Found{Exists: true, Marker: kept}},
			want: PlanReuse},
		{name: "kept, cluster-up again replaces it",
			in:   PlanInput{Name: "stsconform", Image: kept.Image, Found: Found{Exists: true, Marker: kept}},
			want: PlanReplace},
		{name: "left by an interrupted e2e",
			in:   PlanInput{Name: "stsconform", ReuseKept: true, Found: Found{Exists: true, Marker: temp}},
			want: PlanReplace},
		{name: "someone else's",
			in:        PlanInput{Name: "stsconform", ReuseKept: true, Kubeconfig: "/repo/_artifacts/kubeconfig", Found: Found{Exists: true}},
			wantError: `kind cluster "stsconform" exists and was not made by stsconform: use it with KUBECONFIG=/repo/_artifacts/kubeconfig, or delete it with kind delete cluster --name stsconform (or make cluster-down FORCE=true)`},
		{name: "someone else's, kubeconfig not exported",
			in:        PlanInput{Name: "stsconform", Found: Found{Exists: true}},
			wantError: `kind cluster "stsconform" exists and was not made by stsconform: use it with KUBECONFIG=$(kind get kubeconfig --name stsconform), or delete it with kind delete cluster --name stsconform (or make cluster-down FORCE=true)`},
		{name: "an e2e run still running",
			in:        PlanInput{Name: "stsconform", ReuseKept: true, Found: Found{Exists: true, Marker: temp, OwnerRunning: true}},
			wantError: `kind cluster "stsconform" is in use by a running stsconform e2e (pid 4242, run 20261125-180000-abcd, created 2026-11-25T18:00:00Z): wait for it, or give this run another name (KIND_CLUSTER_NAME=...)`},
		{name: "kept with another image",
			in:        PlanInput{Name: "stsconform", ReuseKept: true, Image: "kindest/node:v1.33.1", Found: Found{Exists: true, Marker: kept}},
			wantError: `kind cluster "stsconform" was made by cluster-up with image localhost/stsconform/node:v1.34.3, this run asks for kindest/node:v1.33.1: remake it (make cluster-up) or delete it (make cluster-down)`},
		{name: "marker unreadable",
			in:        PlanInput{Name: "stsconform", Found: Found{Exists: true, MarkerErr: errors.New("docker exec stsconform-control-plane cat /kind/stsconform-owner.json: container is not running\nmore")}},
			wantError: `kind cluster "stsconform" exists and who made it cannot be told (docker exec stsconform-control-plane cat /kind/stsconform-owner.json: container is not running): delete it with kind delete cluster --name stsconform (or make cluster-down FORCE=true)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := PlanExisting(c.in)
			if c.wantError != "" {
				if err == nil || err.Error() != c.wantError {
					t.Fatalf("want error\n  %s\ngot\n  %v", c.wantError, err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("want plan %d, got %d, %v", c.want, got, err)
			}
		})
	}
}

func TestPlanDown(t *testing.T) {
	m := &Marker{Mode: ModeKeep, By: "cluster-up"}
	cases := []struct {
		name    string
		found   Found
		force   bool
		del     bool
		errPart string
	}{
		{name: "nothing there", found: Found{}},
		{name: "ours", found: Found{Exists: true, Marker: m}, del: true},
		{name: "not ours", found: Found{Exists: true}, errPart: `kind cluster "x" was not made by stsconform: delete it with --force`},
		{name: "not ours, forced", found: Found{Exists: true}, force: true, del: true},
		{name: "in use", found: Found{Exists: true, Marker: m, OwnerRunning: true}, errPart: "in use by a running stsconform cluster-up"},
		{name: "in use, forced", found: Found{Exists: true, Marker: m, OwnerRunning: true}, force: true, del: true},
		{name: "unreadable", found: Found{Exists: true, MarkerErr: errors.New("boom")}, errPart: "who made it cannot be told (boom): --force deletes it anyway"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			del, err := PlanDown("x", c.found, c.force)
			if c.errPart != "" {
				if err == nil || !strings.Contains(err.Error(), c.errPart) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("want one line containing %q, got %v", c.errPart, err)
				}
				return
			}
			if err != nil || del != c.del {
				t.Fatalf("want delete=%v, got %v, %v", c.del, del, err)
			}
		})
	}
}

func TestOwnerRunningTellsTheMakerFromAReusedPID(t *testing.T) {
	if _, ok := processStart(os.Getpid()); !ok {
		t.Skip("no /proc on this host")
	}
	host, _ := os.Hostname()
	child := osexec.Command("sleep", "30")
	if err := child.Start(); err != nil {
		t.Skip("cannot start sleep:", err)
	}
	pid := child.Process.Pid
	start, _ := processStart(pid)
	m := Marker{Host: host, PID: pid, PIDStart: start}
	if !ownerRunning(m) {
		t.Fatal("a running maker was not recognised")
	}
	if ownerRunning(Marker{Host: host, PID: pid, PIDStart: "1"}) {
		t.Fatal("another process under the same PID was taken for the maker")
	}
	if ownerRunning(Marker{Host: "elsewhere", PID: pid, PIDStart: start}) {
		t.Fatal("a maker on another host was taken for a local process")
	}
	_ = child.Process.Kill()
	_ = child.Wait()
	if ownerRunning(m) {
		t.Fatal("a maker that exited is still taken as running")
	}
	if ownerRunning(newMarker(ModeKeep, "cluster-up", "", "")) {
		t.Fatal("this process must not see itself as another run")
	}
}
