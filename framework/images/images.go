// Package images names every container image the suites run, in one place.
//
// They are built locally (cmd/offline-images) from Debian packages
// (busybox-static; ZooKeeper and OpenJDK for the ensemble) and loaded into
// kind nodes with kind's loading API, on hermetic and official node images
// alike, so that a spec behaves the same everywhere.
// On a cluster that is not kind, the user makes them available to its nodes
// under these names (README: "Running against an existing cluster").
package images

const (
	// Busybox runs probes and clients: nslookup, wget, sh.
	Busybox = "localhost/stsconform/busybox:1"
	// WebV1 and WebV2 serve /version over HTTP on port 8080 (busybox httpd);
	// a rolling update moves a StatefulSet from one to the other.
	WebV1 = "localhost/stsconform/web:1"
	WebV2 = "localhost/stsconform/web:2"
	// ZooKeeper runs quorum ensemble members (Debian's ZooKeeper 3.8 on a
	// jlink runtime, images/zookeeper); it also carries busybox nc for
	// four-letter-word probes.
	ZooKeeper = "localhost/stsconform/zookeeper:3.8"
)

// Workloads lists the images the suites need on every node.
func Workloads() []string { return []string{Busybox, WebV1, WebV2, ZooKeeper} }
