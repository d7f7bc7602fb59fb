// Package zookeeperimage is the recipe of the ZooKeeper test image: which
// Debian packages it is made of, what of them it keeps, and the start script
// that turns a StatefulSet pod into an ensemble member. hermetic/imagebuild
// builds it (no registry: apt-get download, dpkg-deb -x, jlink, FROM
// scratch); framework/images names it.
//
// Layout of the image:
//
//	/bin/busybox (+ applets)       sh, nc (four-letter-word probes), hostname
//	/opt/java                      a jlink runtime of JavaModules only
//	/opt/zookeeper/lib/*.jar       Jars, from Debian's libzookeeper-java and friends
//	/opt/zookeeper/bin/zk-start    StartScript
//	/lib/x86_64-linux-gnu, /lib64  the shared libraries the runtime needs, no more
package zookeeperimage

import _ "embed"

// Packages are the Debian bookworm packages the image is built from.
// openjdk-17-jdk-headless is only a build tool: its jlink and jmods make a
// runtime of JavaModules, a quarter of the size of openjdk-17-jre-headless.
var Packages = []string{
	"libzookeeper-java", "libslf4j-java", "libdropwizard-metrics-java", "libsnappy-java",
	"openjdk-17-jre-headless", "openjdk-17-jdk-headless",
	"libc6", "libstdc++6", "libgcc-s1", "zlib1g",
}

// Jars are the files of /usr/share/java that QuorumPeerMain loads. The
// Debian zookeeper.jar's manifest names more (Jetty for the admin server,
// Netty, Jackson, jline for the CLI); the server runs without them with the
// admin server off, and a missing Class-Path entry is ignored by the JVM.
// slf4j-simple logs to stderr, so `kubectl logs` shows the server's log.
var Jars = []string{
	"zookeeper.jar", "zookeeper-jute.jar",
	"slf4j-api.jar", "slf4j-simple.jar",
	"metrics-core.jar", "snappy-java.jar",
}

// JavaModules are what `jdeps --print-module-deps` reports for Jars, plus
// jdk.management, which `mntr` uses for its file descriptor counts.
var JavaModules = []string{
	"java.base", "java.logging", "java.management", "java.naming",
	"java.security.jgss", "java.security.sasl", "jdk.unsupported", "jdk.management",
}

// Paths in the image.
const (
	JavaHome   = "/opt/java"
	LibDir     = "/opt/zookeeper/lib"
	StartPath  = "/opt/zookeeper/bin/zk-start"
	DataVolume = "/var/lib/zookeeper"
)

// StartScript writes myid (ordinal + 1) on the first start only, generates
// zoo.cfg from the environment and execs the server; see its header for the
// variables it reads. It is copied without the executable bit (the build
// context is written 0644), so it runs as `sh StartPath`.
//
//go:embed zk-start.sh
var StartScript string
