// Package buildinfo names the build of the suite that made a run, for the
// certification report: a version and a commit, or "unknown" with the
// reason. It never guesses.
//
// `go test` (and so ginkgo) does not stamp VCS information into test
// binaries, so `make e2e` passes both with -ldflags:
//
//	-X github.com/stsconform/stsconform/framework/buildinfo.Version=$(git describe --tags --always --dirty)
//	-X github.com/stsconform/stsconform/framework/buildinfo.Commit=$(git rev-parse HEAD)
//
// A binary built with `go build` from a clone carries vcs.revision, which
// is used when Commit is not stamped.
package buildinfo

import (
	"runtime/debug"
	"strings"
)

// Version and Commit are set with -ldflags -X; empty when not stamped.
var (
	Version string
	Commit  string
)

// unstamped is the reason a value is unknown.
const unstamped = "unknown (not stamped into this build with -ldflags and no VCS information in it)"

// Read returns the suite's version and commit: the -ldflags stamp, else
// what the Go toolchain recorded in the binary, else "unknown (...)".
func Read() (version, commit string) {
	var info *debug.BuildInfo
	if bi, ok := debug.ReadBuildInfo(); ok {
		info = bi
	}
	return resolve(Version, Commit, info)
}

func resolve(stampedVersion, stampedCommit string, info *debug.BuildInfo) (version, commit string) {
	version, commit = strings.TrimSpace(stampedVersion), strings.TrimSpace(stampedCommit)
	if info != nil {
		if version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			version = info.Main.Version
		}
		if commit == "" {
			var rev string
			var modified bool
			for _, s := range info.Settings {
				switch s.Key {
				case "vcs.revision":
					rev = s.Value
				case "vcs.modified":
					modified = s.Value == "true"
				}
			}
			if rev != "" {
				commit = rev
				if modified {
					commit += " (with uncommitted changes)"
				}
			}
		}
	}
	if version == "" {
		version = unstamped
	}
	if commit == "" {
		commit = unstamped
	}
	return version, commit
}
