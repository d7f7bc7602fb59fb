package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestMatrixRendersInChromium opens matrix.html in headless Chromium cut
// off from the network, as TestRendersInChromium does report.html: a row
// per guarantee with a cell per run, the page requests nothing, and the
// screenshot shows the verdict colours; then a column's report.html, whose
// Re-runs section must show its flaky spec. MATRIX_SCREENSHOT names where
// to keep the screenshot.
func TestMatrixRendersInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not on PATH (Debian: apt-get install chromium); the in-browser rendering check needs it")
	}
	root, dirs := matrixRuns(t)
	m, err := BuildMatrix(dirs, root)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Write(root); err != nil {
		t.Fatal(err)
	}
	shot := os.Getenv("MATRIX_SCREENSHOT")
	if shot == "" {
		shot = filepath.Join(t.TempDir(), "matrix.png")
	}
	got := runChromium(t, bin, filepath.Join(root, MatrixHTMLFile), "--window-size=1100,1400", "--screenshot="+shot)
	if reqs := pageRequests(t, got.netlogPath); len(reqs) > 0 {
		t.Errorf("matrix.html made network requests: %v", reqs)
	}
	doc, err := html.Parse(bytes.NewReader(got.dom))
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	cells := map[string]int{}
	var differs int
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode || n.Data != "tr" {
			return
		}
		switch {
		case hasClass(n, "matrix-row"):
			l, _ := attr(n, "data-label")
			rows = append(rows, l)
			walk(n, func(c *html.Node) {
				if c.Type == html.ElementNode && c.Data == "td" && hasClass(c, "cell") {
					cells[l]++
				}
			})
		case hasClass(n, "differs"):
			differs++
		}
	})
	var want []string
	for _, g := range Catalogue() {
		want = append(want, g.Label)
		if cells[g.Label] != len(dirs) {
			t.Errorf("row %s has %d cells; want one per run (%d)", g.Label, cells[g.Label], len(dirs))
		}
	}
	if strings.Join(rows, ",") != strings.Join(want, ",") {
		t.Errorf("rendered rows %v; want %v", rows, want)
	}
	if differs == 0 {
		t.Error("no environment row is marked as differing; the runs' versions differ")
	}
	img := decodePNG(t, shot)
	for _, c := range []struct {
		what string
		rgb  [3]uint8
	}{{"verified cells", [3]uint8{0xda, 0xfb, 0xe1}}, {"failed cells", [3]uint8{0xff, 0xeb, 0xe9}}, {"differing rows", [3]uint8{0xff, 0xf8, 0xc5}}} {
		if n := countColour(img, c.rgb); n < 500 {
			t.Errorf("%s: %d pixels of %s in the screenshot; want at least 500", c.what, n, cssColour(c.rgb))
		}
	}

	rep := runChromium(t, bin, filepath.Join(dirs[0], HTMLFile), "--window-size=1100,3000")
	doc, err = html.Parse(bytes.NewReader(rep.dom))
	if err != nil {
		t.Fatal(err)
	}
	flaky := 0
	walk(doc, func(n *html.Node) {
		if v, _ := attr(n, "data-flaky"); n.Type == html.ElementNode && hasClass(n, "rerun-spec") && v == "true" {
			flaky++
		}
	})
	if flaky != 1 {
		t.Errorf("report.html of a re-run certification shows %d flaky specs in its Re-runs section; want 1", flaky)
	}
}
