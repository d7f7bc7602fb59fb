package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	kindcluster "sigs.k8s.io/kind/pkg/cluster"
	"sigs.k8s.io/kind/pkg/cluster/nodes"
	"sigs.k8s.io/kind/pkg/cluster/nodeutils"
	"sigs.k8s.io/kind/pkg/exec"
)

// markerPath is where a cluster this suite made says so: a file in its
// control-plane node. Docker cannot label a running container, and a file
// on the host would outlive the cluster and vouch for a stranger's cluster
// created later under the same name.
const markerPath = "/kind/stsconform-owner.json"

// Marker modes.
const (
	// ModeKeep: made by cluster-up (or a run told to keep it); runs reuse it
	// and never delete it.
	ModeKeep = "keep"
	// ModeTemporary: made by a run that deletes it at its end; found later,
	// it was left by an interrupted run.
	ModeTemporary = "temporary"
)

// Marker is what the marker file holds.
type Marker struct {
	Mode    string    `json:"mode"`
	By      string    `json:"by"` // "cluster-up" or "e2e"
	RunID   string    `json:"runID,omitempty"`
	Image   string    `json:"image,omitempty"`
	Created time.Time `json:"created"`
	Host    string    `json:"host"`
	PID     int       `json:"pid"`
	// PIDStart is the process's start time (/proc/PID/stat), so that a
	// reused PID is not mistaken for the maker.
	PIDStart string `json:"pidStart,omitempty"`
}

// describe is "run ID, created TIME", for messages that name the maker.
func (m Marker) describe() string {
	s := "created " + m.Created.UTC().Format(time.RFC3339)
	if m.RunID != "" {
		s = "run " + m.RunID + ", " + s
	}
	return s
}

// Found is what this host holds under a cluster name.
type Found struct {
	Exists bool
	Marker *Marker // nil: no marker, not made by stsconform
	// MarkerErr: the marker could not be read (control plane stopped, ...).
	MarkerErr error
	// OwnerRunning: the process that made the cluster still runs here.
	OwnerRunning bool
}

// Plan is what a run does about the cluster name it was given.
type Plan int

const (
	// PlanCreate: no cluster of that name; create one.
	PlanCreate Plan = iota
	// PlanReuse: a cluster kept by cluster-up; use it, never delete it.
	PlanReuse
	// PlanReplace: a cluster this suite made and nobody uses; delete it
	// and create a new one.
	PlanReplace
)

// PlanInput is what PlanExisting decides on.
type PlanInput struct {
	Name string
	// ReuseKept: a kept cluster is used as it is (the suite), not replaced
	// (cluster-up).
	ReuseKept bool
	// Image the run asks for; empty: any.
	Image string
	// Kubeconfig holds the kubeconfig of the found cluster, for the
	// message that tells how to use a foreign cluster.
	Kubeconfig string
	Found      Found
}

// PlanExisting decides what to do about an existing cluster of the run's
// name. It never plans to delete a cluster stsconform did not make, nor one
// whose maker still runs.
func PlanExisting(in PlanInput) (Plan, error) {
	f := in.Found
	if !f.Exists {
		return PlanCreate, nil
	}
	if f.MarkerErr != nil {
		return 0, fmt.Errorf("kind cluster %q exists and who made it cannot be told (%v): delete it with kind delete cluster --name %s (or make cluster-down FORCE=true)",
			in.Name, oneLine(f.MarkerErr.Error()), in.Name)
	}
	if f.Marker == nil {
		use := "KUBECONFIG=$(kind get kubeconfig --name " + in.Name + ")"
		if in.Kubeconfig != "" {
			use = "KUBECONFIG=" + in.Kubeconfig
		}
		return 0, fmt.Errorf("kind cluster %q exists and was not made by stsconform: use it with %s, or delete it with kind delete cluster --name %s (or make cluster-down FORCE=true)", in.Name, use, in.Name)
	}
	m := *f.Marker
	if f.OwnerRunning {
		return 0, fmt.Errorf("kind cluster %q is in use by a running stsconform %s (pid %d, %s): wait for it, or give this run another name (KIND_CLUSTER_NAME=...)",
			in.Name, m.By, m.PID, m.describe())
	}
	if m.Mode == ModeKeep && in.ReuseKept {
		if in.Image != "" && m.Image != "" && m.Image != in.Image {
			return 0, fmt.Errorf("kind cluster %q was made by %s with image %s, this run asks for %s: remake it (make cluster-up) or delete it (make cluster-down)",
				in.Name, m.By, m.Image, in.Image)
		}
		return PlanReuse, nil
	}
	return PlanReplace, nil
}

// PlanDown decides whether cluster-down deletes the found cluster; false
// with a nil error means there is nothing to delete.
func PlanDown(name string, f Found, force bool) (bool, error) {
	switch {
	case !f.Exists:
		return false, nil
	case force:
		return true, nil
	case f.MarkerErr != nil:
		return false, fmt.Errorf("kind cluster %q: who made it cannot be told (%v): --force deletes it anyway", name, oneLine(f.MarkerErr.Error()))
	case f.Marker == nil:
		return false, fmt.Errorf("kind cluster %q was not made by stsconform: delete it with --force (make cluster-down FORCE=true) or kind delete cluster --name %s", name, name)
	case f.OwnerRunning:
		return false, fmt.Errorf("kind cluster %q is in use by a running stsconform %s (pid %d, %s): --force deletes it anyway", name, f.Marker.By, f.Marker.PID, f.Marker.describe())
	}
	return true, nil
}

// inspect finds the cluster of a name and reads its marker.
func inspect(ctx context.Context, p *kindcluster.Provider, name string) (Found, error) {
	names, err := p.List()
	if err != nil {
		return Found{}, fmt.Errorf("list kind clusters: %w", err)
	}
	exists := false
	for _, n := range names {
		exists = exists || n == name
	}
	if !exists {
		return Found{}, nil
	}
	f := Found{Exists: true}
	cp, err := controlPlane(p, name)
	if err != nil {
		f.MarkerErr = err
		return f, nil
	}
	lines, err := exec.CombinedOutputLines(cp.CommandContext(ctx, "cat", markerPath))
	out := strings.Join(lines, "\n")
	switch {
	case err != nil && strings.Contains(out, "No such file"):
		return f, nil
	case err != nil:
		f.MarkerErr = fmt.Errorf("%s: %s", exec.PrettyCommand("docker", "exec", cp.String(), "cat", markerPath), strings.TrimSpace(out))
		return f, nil
	}
	var m Marker
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		f.MarkerErr = fmt.Errorf("%s in node %s is not a marker: %v", markerPath, cp.String(), err)
		return f, nil
	}
	f.Marker = &m
	f.OwnerRunning = ownerRunning(m)
	return f, nil
}

func controlPlane(p *kindcluster.Provider, name string) (nodes.Node, error) {
	all, err := p.ListNodes(name)
	if err != nil {
		return nil, fmt.Errorf("list nodes of kind cluster %q: %w", name, err)
	}
	return nodeutils.BootstrapControlPlaneNode(all)
}

// newMarker describes this process making a cluster.
func newMarker(mode, by, runID, image string) Marker {
	host, _ := os.Hostname()
	start, _ := processStart(os.Getpid())
	return Marker{Mode: mode, By: by, RunID: runID, Image: image, Created: time.Now().UTC(), Host: host, PID: os.Getpid(), PIDStart: start}
}

func writeMarker(p *kindcluster.Provider, name string, m Marker) error {
	cp, err := controlPlane(p, name)
	if err != nil {
		return err
	}
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if err := nodeutils.WriteFile(cp, markerPath, string(data)+"\n"); err != nil {
		return fmt.Errorf("mark kind cluster %q as made by stsconform (%s in %s): %w", name, markerPath, cp.String(), err)
	}
	return nil
}

// ownerRunning reports whether the marker's maker is a process still
// running on this host.
func ownerRunning(m Marker) bool {
	host, _ := os.Hostname()
	if m.PID <= 0 || m.Host != host || m.PID == os.Getpid() {
		return false
	}
	start, ok := processStart(m.PID)
	return ok && start == m.PIDStart
}

// processStart is field 22 of /proc/PID/stat (start time in clock ticks);
// false where there is no such process or no /proc.
func processStart(pid int) (string, bool) {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "", false
	}
	// The command name (field 2) may hold spaces; fields after it are
	// counted from its closing parenthesis.
	i := strings.LastIndexByte(string(raw), ')')
	if i < 0 {
		return "", false
	}
	fields := strings.Fields(string(raw[i+1:]))
	if len(fields) < 20 {
		return "", false
	}
	return fields[19], true
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
