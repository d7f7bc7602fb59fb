package support

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	kinddefaults "sigs.k8s.io/kind/pkg/apis/config/defaults"
)

func TestLoadReadsTheWindow(t *testing.T) {
	w, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if d := w.Default(); d.Minor != w.Minors[0].Minor || !strings.HasPrefix(d.Release, d.Minor+".") {
		t.Errorf("default %+v is not the newest minor's release", d)
	}
}

func TestParseRefusesABadWindow(t *testing.T) {
	cases := map[string]string{
		"empty":            "minors: []",
		"unknown field":    "minors:\n- minor: v1.37\n  release: v1.37.2\n  endOfLife: \"2027-10-28\"\n  eol: x",
		"bad minor":        "minors:\n- minor: 1.37\n  release: v1.37.2\n  endOfLife: \"2027-10-28\"",
		"oldest first":     "minors:\n- minor: v1.36\n  release: v1.36.3\n  endOfLife: \"2027-06-28\"\n- minor: v1.37\n  release: v1.37.2\n  endOfLife: \"2027-10-28\"",
		"twice":            "minors:\n- minor: v1.37\n  release: v1.37.2\n  endOfLife: \"2027-10-28\"\n- minor: v1.37\n  release: v1.37.1\n  endOfLife: \"2027-10-28\"",
		"other release":    "minors:\n- minor: v1.37\n  release: v1.36.3\n  endOfLife: \"2027-10-28\"",
		"not a date":       "minors:\n- minor: v1.37\n  release: v1.37.2\n  endOfLife: October 2027",
		"release no patch": "minors:\n- minor: v1.37\n  release: v1.37\n  endOfLife: \"2027-10-28\"",
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := Parse([]byte(data)); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

func window(t *testing.T) Window {
	t.Helper()
	w, err := Parse([]byte("minors:\n- minor: v1.37\n  release: v1.37.2\n  endOfLife: \"2027-10-28\"\n- minor: v1.36\n  release: v1.36.3\n  endOfLife: \"2027-06-28\"\n- minor: v1.35\n  release: v1.35.4\n  endOfLife: \"2027-02-28\""))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestRelease(t *testing.T) {
	w := window(t)
	for asked, want := range map[string]string{"": "v1.37.2", "v1.36": "v1.36.3", "v1.35.9": "v1.35.9", "v1.33.4": "v1.33.4"} {
		if got, err := w.Release(asked); err != nil || got != want {
			t.Errorf("Release(%q) = %q, %v; want %q", asked, got, err, want)
		}
	}
	for _, bad := range []string{"v1.33", "1.37", "v1.37.2-rc.0", "latest"} {
		if got, err := w.Release(bad); err == nil {
			t.Errorf("Release(%q) = %q, want an error", bad, got)
		}
	}
	if _, err := w.Release("v1.33"); err == nil || !strings.Contains(err.Error(), "v1.35 to v1.37") {
		t.Errorf("a minor outside the window must name the window: %v", err)
	}
}

func TestJudge(t *testing.T) {
	w := window(t)
	day := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		server string
		on     time.Time
		status Status
		reason string
	}{
		{"v1.37.2", day, Supported, "v1.37.x: in the supported window (v1.35 to v1.37), supported upstream until 2027-10-28"},
		{"v1.36.1-eks-4f7a2c", day, Supported, "v1.36.x: in the supported window"},
		{"v1.35.4+k3s1", day, Supported, "v1.35.x: in the supported window"},
		{"v1.33.7", day, Outside, "v1.33.x: outside the supported window (v1.35 to v1.37)"},
		{"v1.38.0", day, Outside, "v1.38.x: outside the supported window (v1.35 to v1.37)"},
		// The last day of support is still supported; the next is not.
		{"v1.35.4", time.Date(2027, 2, 28, 23, 0, 0, 0, time.UTC), Supported, "v1.35.x: in the supported window"},
		{"v1.35.4", time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), Outside, "v1.35.x: outside the supported window (v1.35 to v1.37): end of life since 2027-02-28"},
		{"", day, Unknown, "the server version was not read"},
		{"devel", day, Unknown, `the server version "devel" is not a Kubernetes version`},
	}
	for _, c := range cases {
		v := w.Judge(c.server, c.on)
		if v.Status != c.status || !strings.HasPrefix(v.Reason, c.reason) {
			t.Errorf("Judge(%q, %s) = %+v; want %s, reason starting %q", c.server, c.on.Format(time.DateOnly), v, c.status, c.reason)
		}
	}
}

// .github/kind-images.txt (the workflow's matrix) lists one official node
// image for exactly the supported minors, newest first, each pinned by
// digest: no end-of-life minor stays in the matrix, none is missing.
func TestKindImagesCoverTheWindow(t *testing.T) {
	w, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("../../.github/kind-images.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got []string
	kindDefaultListed := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		minor, image, ok := strings.Cut(line, " ")
		if !ok || !strings.HasPrefix(image, "kindest/node:"+minor+".") || !strings.Contains(image, "@sha256:") {
			t.Errorf("line %q: want MINOR kindest/node:MINOR.PATCH@sha256:DIGEST", line)
		}
		got = append(got, minor)
		kindDefaultListed = kindDefaultListed || image == kinddefaults.Image
	}
	// The images are those of the kind release in go.mod: its own default
	// image is among them (a kind upgrade without a new table fails here).
	if !kindDefaultListed && strings.HasPrefix(kinddefaults.Image, "kindest/node:"+w.Default().Minor+".") {
		t.Errorf(".github/kind-images.txt does not list %s, the default image of the kind release in go.mod", kinddefaults.Image)
	}
	var want []string
	for _, m := range w.Minors {
		want = append(want, m.Minor)
	}
	if !slices.Equal(got, want) {
		t.Errorf(".github/kind-images.txt lists %v, the support window (fixtures/support.yaml) %v", got, want)
	}
}
