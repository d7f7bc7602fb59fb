// Package images names every container image the suites run, by role.
//
// The defaults (fixtures/images.yaml) are built on this machine by the
// hermetic build and side-loaded into kind nodes, so a spec behaves the same
// on hermetic and official node images. On any other cluster the user maps
// the roles to references its nodes can pull, with a file of the same shape
// (Load) or by re-homing every image under one registry (Rehome).
package images

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/stsconform/stsconform/fixtures"
)

// Role says what an image does in the suites.
type Role string

const (
	// Busybox runs probes and clients: nslookup, wget, sh.
	Busybox Role = "busybox"
	// WebV1 and WebV2 serve /version over HTTP on port 8080 (busybox
	// httpd); a rolling update moves a StatefulSet from one to the other.
	WebV1 Role = "web-v1"
	WebV2 Role = "web-v2"
	// ZooKeeper runs quorum ensemble members (Debian's ZooKeeper 3.8 on a
	// jlink runtime, hermetic/zookeeperimage); it also carries busybox nc
	// for four-letter-word probes.
	ZooKeeper Role = "zookeeper"
	// Runner is the suite itself, compiled into an image that runs it
	// from a pod of the cluster under test (stsconform run --in-cluster,
	// hydrophone, Sonobuoy). No spec runs it.
	Runner Role = "runner"
)

// Roles lists every role, in a stable order.
func Roles() []Role { return []Role{Busybox, WebV1, WebV2, ZooKeeper, Runner} }

// Workloads is the set without the runner: the images the specs run, which
// a cluster must have (side-loaded, or pullable) before any spec starts.
func (s Set) Workloads() Set {
	out := Set{}
	for r, ref := range s {
		if r != Runner {
			out[r] = ref
		}
	}
	return out
}

// Set maps every role to an image reference.
type Set map[Role]string

// Defaults are the references of fixtures/images.yaml.
func Defaults() Set {
	m, err := fixtures.DefaultImages()
	if err != nil {
		// The file is embedded and checked by this package's tests.
		panic(err)
	}
	s := Set{}
	for k, v := range m {
		s[Role(k)] = v
	}
	return s
}

// Ref is the reference of role r.
func (s Set) Ref(r Role) string { return s[r] }

// Refs lists the distinct references of the set, sorted.
func (s Set) Refs() []string {
	var out []string
	for _, v := range s {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}

// Load reads a mapping file (role: reference, the shape of
// fixtures/images.yaml) over the defaults: roles it does not name keep
// their default. A role the suites do not know is an error, since it is
// most likely a typo that would silently leave the default in place; so
// is a reference no node could pull (CheckReference).
func Load(path string) (Set, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("image mapping: %w", err)
	}
	var m map[string]string
	if err := yaml.UnmarshalStrict(data, &m); err != nil {
		return nil, fmt.Errorf("image mapping %s: %w", path, err)
	}
	s := Defaults()
	for k, v := range m {
		if !slices.Contains(Roles(), Role(k)) {
			return nil, fmt.Errorf("image mapping %s: unknown role %q (roles: %s)", path, k, RoleList())
		}
		if strings.TrimSpace(v) == "" {
			return nil, fmt.Errorf("image mapping %s: role %q has an empty reference", path, k)
		}
		if err := CheckReference(v); err != nil {
			return nil, fmt.Errorf("image mapping %s: role %q: %w", path, k, err)
		}
		s[Role(k)] = v
	}
	return s, nil
}

// Rehome moves every image under registry, keeping each image's last path
// element and tag: localhost/stsconform/web:1 under registry.example.com/x
// becomes registry.example.com/x/web:1. CheckRegistry says whether the
// result is a set of references.
func (s Set) Rehome(registry string) Set {
	registry = strings.TrimSuffix(registry, "/")
	out := Set{}
	for r, ref := range s {
		out[r] = registry + "/" + ref[strings.LastIndex(ref, "/")+1:]
	}
	return out
}

// IsLocal reports whether ref is one of the locally built names that no
// registry serves: a kind cluster gets them side-loaded.
func IsLocal(ref string) bool { return strings.HasPrefix(ref, "localhost/") }

// LocalRefs lists the references of the set that must be side-loaded.
func (s Set) LocalRefs() []string {
	var out []string
	for _, r := range s.Refs() {
		if IsLocal(r) {
			out = append(out, r)
		}
	}
	return out
}

// RoleList is every role, comma-separated, for messages.
func RoleList() string {
	var parts []string
	for _, r := range Roles() {
		parts = append(parts, string(r))
	}
	return strings.Join(parts, ", ")
}
