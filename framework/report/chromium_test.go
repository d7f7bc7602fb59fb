package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// isolated keeps the browser off the network: every host resolves to
// nothing and every request goes to a proxy that refuses, so even a request
// that slipped through could not leave the machine; the NetLog then shows
// whether the page tried.
var isolated = []string{
	"--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
	"--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
	"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
}

// requireChromium makes a missing browser a failure instead of a skip: CI
// (.ci/run, the workflow) sets it, so that no run passes the page checks
// without a browser having rendered the pages.
const requireChromium = "STSCONFORM_REQUIRE_CHROMIUM"

// chromium finds the browser: Debian's chromium, Ubuntu's chromium-browser
// or Google Chrome (GitHub's runners have it).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if bin, err := exec.LookPath(name); err == nil {
			return bin
		}
	}
	const why = "no chromium, chromium-browser or google-chrome on PATH (Debian: apt-get install chromium); the in-browser rendering check needs one"
	if os.Getenv(requireChromium) != "" {
		t.Fatal(why + " and " + requireChromium + " is set")
	}
	t.Skip(why)
	return ""
}

type browserRun struct {
	dom        []byte
	netlogPath string
}

func runChromium(t *testing.T, bin, page string, extra ...string) browserRun {
	t.Helper()
	tmp := t.TempDir()
	out := browserRun{netlogPath: filepath.Join(tmp, "netlog.json")}
	args := append(append([]string{}, isolated...),
		"--user-data-dir="+filepath.Join(tmp, "profile"), "--log-net-log="+out.netlogPath, "--dump-dom")
	args = append(append(args, extra...), "file://"+page)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "HOME="+tmp)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", bin, err, stderr.String())
	}
	out.dom = dom
	return out
}

// pageRequests lists the URLs the page itself asked for. The browser makes
// requests of its own (component updates, account checks) even headless;
// the page's carry its file:// site in their network isolation key.
func pageRequests(t *testing.T, netlogPath string) []string {
	t.Helper()
	data, err := os.ReadFile(netlogPath)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Constants struct {
			LogEventTypes map[string]int `json:"logEventTypes"`
		} `json:"constants"`
		Events []struct {
			Type   int `json:"type"`
			Params struct {
				URL        string `json:"url"`
				Initiator  string `json:"initiator"`
				IsolateKey string `json:"network_isolation_key"`
			} `json:"params"`
		} `json:"events"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("decoding the NetLog: %v", err)
	}
	start, ok := log.Constants.LogEventTypes["URL_REQUEST_START_JOB"]
	if !ok {
		t.Fatal("the NetLog has no URL_REQUEST_START_JOB event type; cannot tell what the page requested")
	}
	var urls []string
	for _, e := range log.Events {
		if e.Type == start && e.Params.URL != "" &&
			(strings.Contains(e.Params.IsolateKey, "file://") || e.Params.Initiator != "not an origin") {
			urls = append(urls, e.Params.URL)
		}
	}
	return urls
}

// TestRendersInChromium opens report.html of the failing run in headless
// Chromium cut off from the network: every guarantee row and every
// timeline chart is in the rendered DOM, the page requests nothing, and
// the screenshot shows the verdict colours. REPORT_SCREENSHOT names where
// to keep the screenshot for a person to look at.
func TestRendersInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	bin := chromium(t)
	r := failingRun(t)
	dir := r.materialise(t)
	rep, err := Build(Input{Ginkgo: r.ginkgo, Environment: r.env, ArtifactsDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Write(dir); err != nil {
		t.Fatal(err)
	}
	shot := os.Getenv("REPORT_SCREENSHOT")
	if shot == "" {
		shot = filepath.Join(t.TempDir(), "report.png")
	}
	got := runChromium(t, bin, filepath.Join(dir, HTMLFile), "--window-size=1100,9000", "--screenshot="+shot)

	// The detector must see a page's request, or its silence proves nothing.
	canary := filepath.Join(t.TempDir(), "canary.html")
	if err := os.WriteFile(canary, []byte(`<!DOCTYPE html><img src="http://canary.stsconform.invalid/x.png"><p>canary</p>`), 0o644); err != nil {
		t.Fatal(err)
	}
	if reqs := pageRequests(t, runChromium(t, bin, canary).netlogPath); !strings.Contains(strings.Join(reqs, " "), "canary.stsconform.invalid") {
		t.Fatalf("the NetLog check did not see the canary page's image request (saw %v)", reqs)
	}
	if reqs := pageRequests(t, got.netlogPath); len(reqs) > 0 {
		t.Errorf("report.html made network requests: %v", reqs)
	}

	doc, err := html.Parse(bytes.NewReader(got.dom))
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	var charts, violating int
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		if n.Data == "tr" && hasClass(n, "verdict-row") {
			l, _ := attr(n, "data-label")
			rows = append(rows, l)
		}
		if n.Data == "svg" && hasClass(n, "timeline") && n.FirstChild != nil {
			charts++
			if hasClass(n, "has-violation") {
				violating++
			}
		}
	})
	var want []string
	for _, g := range Catalogue() {
		want = append(want, g.Label)
	}
	if strings.Join(rows, ",") != strings.Join(want, ",") {
		t.Errorf("rendered guarantee rows %v; want %v", rows, want)
	}
	wantCharts := len(rep.orphans)
	for _, g := range rep.guarantees {
		wantCharts += len(g.Timelines)
	}
	if charts != wantCharts || violating != 1 {
		t.Errorf("rendered %d timeline charts (%d with a violation); want %d (1)", charts, violating, wantCharts)
	}
	checkScreenshot(t, shot)
}

// checkScreenshot looks for the colours a reader relies on: the failed
// banner, the green of Ready bars, the amber of pods running but not
// Ready, and the red tint of a violating lane.
func checkScreenshot(t *testing.T, path string) {
	t.Helper()
	img := decodePNG(t, path)
	if w := img.Bounds().Dx(); w != 1100 {
		t.Errorf("screenshot is %d wide; want the 1100 asked for", w)
	}
	for _, c := range []struct {
		what    string
		rgb     [3]uint8
		atLeast int
	}{
		{"failed banner", [3]uint8{0xff, 0xeb, 0xe9}, 5000},
		{"Ready bars", [3]uint8{0x66, 0xbb, 0x6a}, 5000},
		{"running-not-ready bars", [3]uint8{0xff, 0xd5, 0x4f}, 1000},
		{"violating lane", [3]uint8{0xff, 0xeb, 0xee}, 5000},
	} {
		if n := countColour(img, c.rgb); n < c.atLeast {
			t.Errorf("%s: %d pixels of %s in the screenshot; want at least %d", c.what, n, cssColour(c.rgb), c.atLeast)
		}
	}
}

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	return img
}

func countColour(img image.Image, rgb [3]uint8) int {
	near := func(a uint32, b uint8) bool { d := int(a>>8) - int(b); return d > -4 && d < 4 }
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if near(r, rgb[0]) && near(g, rgb[1]) && near(bl, rgb[2]) {
				n++
			}
		}
	}
	return n
}

func cssColour(rgb [3]uint8) string { return fmt.Sprintf("#%02x%02x%02x", rgb[0], rgb[1], rgb[2]) }
