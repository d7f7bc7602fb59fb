// Package support is the Kubernetes support window of the suite: the minors
// it supports (fixtures/support.yaml, the one place they are written), the
// release the hermetic node image builds for each, and the judgement of a
// cluster's version against the window on the day of a run.
package support

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/stsconform/stsconform/fixtures"
)

// Minor is one supported Kubernetes minor.
type Minor struct {
	// Minor is "v1.37".
	Minor string `json:"minor"`
	// Release is the patch release the hermetic node image builds for
	// this minor, e.g. "v1.37.2".
	Release string `json:"release"`
	// EndOfLife is upstream's end-of-life date, "2027-10-28".
	EndOfLife string `json:"endOfLife"`
}

// Window is the supported minors, newest first.
type Window struct {
	Minors []Minor `json:"minors"`
}

var (
	minorRE   = regexp.MustCompile(`^v1\.(\d+)$`)
	releaseRE = regexp.MustCompile(`^v1\.(\d+)\.(\d+)$`)
	// serverRE takes what API servers report: v1.37.2, v1.36.1-eks-abc,
	// v1.35.4+k3s1.
	serverRE = regexp.MustCompile(`^v?1\.(\d+)(?:\.(\d+))?`)
)

// Load reads fixtures/support.yaml and checks it.
func Load() (Window, error) {
	data, err := fixtures.FS.ReadFile(fixtures.SupportFile)
	if err != nil {
		return Window{}, err
	}
	return Parse(data)
}

// Parse reads a window in the shape of fixtures/support.yaml and checks it:
// minors newest first, each once, its release of that minor, its end of
// life a date.
func Parse(data []byte) (Window, error) {
	var w Window
	if err := yaml.UnmarshalStrict(data, &w); err != nil {
		return Window{}, fmt.Errorf("fixtures/%s: %w", fixtures.SupportFile, err)
	}
	if len(w.Minors) == 0 {
		return Window{}, fmt.Errorf("fixtures/%s lists no minor", fixtures.SupportFile)
	}
	prev := 0
	for i, m := range w.Minors {
		n, ok := minorNumber(m.Minor)
		if !ok {
			return Window{}, fmt.Errorf("fixtures/%s: minor %q: want v1.N", fixtures.SupportFile, m.Minor)
		}
		if i > 0 && n >= prev {
			return Window{}, fmt.Errorf("fixtures/%s: %s after v1.%d: list the minors newest first, each once", fixtures.SupportFile, m.Minor, prev)
		}
		prev = n
		if r := releaseRE.FindStringSubmatch(m.Release); r == nil || r[1] != strconv.Itoa(n) {
			return Window{}, fmt.Errorf("fixtures/%s: %s: release %q is not a release of that minor (want %s.N)", fixtures.SupportFile, m.Minor, m.Release, m.Minor)
		}
		if _, err := time.Parse(time.DateOnly, m.EndOfLife); err != nil {
			return Window{}, fmt.Errorf("fixtures/%s: %s: endOfLife %q: want YYYY-MM-DD", fixtures.SupportFile, m.Minor, m.EndOfLife)
		}
	}
	return w, nil
}

func minorNumber(s string) (int, bool) {
	m := minorRE.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil
}

// Default is the minor the suite builds and certifies by default: the
// newest.
func (w Window) Default() Minor { return w.Minors[0] }

// Span names the window, "v1.35 to v1.37".
func (w Window) Span() string {
	return w.Minors[len(w.Minors)-1].Minor + " to " + w.Minors[0].Minor
}

// Release resolves what a user asks to build: "" is the default release,
// a minor ("v1.36") its release in the window, a release ("v1.36.5") itself.
// Anything else, or a minor outside the window, is an error naming the
// window.
func (w Window) Release(asked string) (string, error) {
	asked = strings.TrimSpace(asked)
	switch {
	case asked == "":
		return w.Default().Release, nil
	case releaseRE.MatchString(asked):
		return asked, nil
	}
	if _, ok := minorNumber(asked); ok {
		for _, m := range w.Minors {
			if m.Minor == asked {
				return m.Release, nil
			}
		}
		return "", fmt.Errorf("minor %s is outside the supported window of Kubernetes (%s): name a release (vX.Y.Z) to build it anyway", asked, w.Span())
	}
	return "", fmt.Errorf("invalid Kubernetes version %q: want a release such as %s or a minor such as %s", asked, w.Default().Release, w.Default().Minor)
}

// Status is where a cluster's version stands against the window.
type Status string

const (
	Supported Status = "supported"
	Outside   Status = "outside"
	// Unknown: the server version could not be read or parsed.
	Unknown Status = "unknown"
)

// Verdict is the judgement of one server version on one day.
type Verdict struct {
	Status Status `json:"status"`
	// Minor is the server's minor, "v1.33" ("" when Unknown).
	Minor string `json:"minor,omitempty"`
	// Reason is one line for the report, e.g. "v1.33.x: outside the
	// supported window (v1.35 to v1.37)".
	Reason string `json:"reason"`
}

// Judge places serverVersion (the API server's gitVersion) in the window
// on the given day: a minor not listed, or listed but past its end of life
// that day, is outside.
func (w Window) Judge(serverVersion string, on time.Time) Verdict {
	m := serverRE.FindStringSubmatch(strings.TrimSpace(serverVersion))
	if m == nil {
		what := "the server version was not read"
		if serverVersion != "" {
			what = fmt.Sprintf("the server version %q is not a Kubernetes version", serverVersion)
		}
		return Verdict{Status: Unknown, Reason: what + ": the supported window (" + w.Span() + ") could not be checked"}
	}
	minor := "v1." + m[1]
	for _, s := range w.Minors {
		if s.Minor != minor {
			continue
		}
		// Dates compare as text: both are YYYY-MM-DD.
		if on.UTC().Format(time.DateOnly) > s.EndOfLife {
			return Verdict{Status: Outside, Minor: minor, Reason: fmt.Sprintf("%s.x: outside the supported window (%s): end of life since %s", minor, w.Span(), s.EndOfLife)}
		}
		return Verdict{Status: Supported, Minor: minor, Reason: fmt.Sprintf("%s.x: in the supported window (%s), supported upstream until %s", minor, w.Span(), s.EndOfLife)}
	}
	return Verdict{Status: Outside, Minor: minor, Reason: fmt.Sprintf("%s.x: outside the supported window (%s)", minor, w.Span())}
}
