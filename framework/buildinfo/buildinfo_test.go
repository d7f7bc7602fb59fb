package buildinfo

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	vcs := &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "3bfa9ee0c0ffee"}, {Key: "vcs.modified", Value: "true"},
	}}
	for _, tc := range []struct {
		name                    string
		version, commit         string
		info                    *debug.BuildInfo
		wantVersion, wantCommit string
	}{
		{"stamped wins", "v0.3.0", "abc123", vcs, "v0.3.0", "abc123"},
		{"vcs when not stamped", "", "", vcs, "", "3bfa9ee0c0ffee (with uncommitted changes)"},
		{"module version", "", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.4.1"}}, "v0.4.1", ""},
		// A test binary: no VCS settings, "(devel)".
		{"nothing known", "", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "", ""},
		{"no build info", " ", "", nil, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, c := resolve(tc.version, tc.commit, tc.info)
			check := func(what, got, want string) {
				if want == "" {
					if !strings.HasPrefix(got, "unknown (") {
						t.Errorf("%s = %q; want unknown with a reason", what, got)
					}
					return
				}
				if got != want {
					t.Errorf("%s = %q; want %q", what, got, want)
				}
			}
			check("version", v, tc.wantVersion)
			check("commit", c, tc.wantCommit)
		})
	}
}
