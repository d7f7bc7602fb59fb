package report

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/stsconform/stsconform/framework/timeline"
)

// parseHTML parses like a browser would and fails on what the tokenizer
// reports as broken.
func parseHTML(t *testing.T, data []byte) *html.Node {
	t.Helper()
	z := html.NewTokenizer(bytes.NewReader(data))
	depth := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if err := z.Err(); err.Error() != "EOF" {
				t.Fatalf("tokenizing: %v", err)
			}
			break
		}
		switch tt {
		case html.StartTagToken:
			name, _ := z.TagName()
			if !voidElement(string(name)) {
				depth++
			}
		case html.EndTagToken:
			depth--
		}
	}
	if depth != 0 {
		t.Errorf("start and end tags do not balance (%+d)", depth)
	}
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func voidElement(name string) bool {
	return slices.Contains([]string{"meta", "br", "hr", "img", "input", "link", "area", "base", "col", "embed", "source", "track", "wbr"}, name)
}

func walk(n *html.Node, f func(*html.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// TestHTMLIsSelfContained: nothing in report.html can make a browser load
// anything: no scripts, no stylesheets or images by reference, no CSS
// url() or @import; the only absolute links are to the documentation, in
// <a>, and every relative link points at a file or directory that exists
// next to the report.
func TestHTMLIsSelfContained(t *testing.T) {
	for name, r := range scenarios(t) {
		t.Run(name, func(t *testing.T) {
			dir := writeScenario(t, r)
			data, err := os.ReadFile(filepath.Join(dir, HTMLFile))
			if err != nil {
				t.Fatal(err)
			}
			doc := parseHTML(t, data)
			var anchors, svgs int
			walk(doc, func(n *html.Node) {
				if n.Type != html.ElementNode {
					return
				}
				switch n.DataAtom {
				case atom.Script, atom.Link, atom.Img, atom.Iframe, atom.Object, atom.Embed, atom.Audio, atom.Video, atom.Source, atom.Base, atom.Form:
					t.Errorf("<%s> in the report", n.Data)
				case atom.Style:
					css := strings.ToLower(n.FirstChild.Data)
					if strings.Contains(css, "url(") || strings.Contains(css, "@import") || strings.Contains(css, "@font-face") {
						t.Errorf("the stylesheet loads a resource")
					}
				case atom.Svg:
					svgs++
					if n.Namespace != "svg" {
						t.Errorf("<svg> parsed in namespace %q, not as SVG", n.Namespace)
					}
				}
				for _, a := range n.Attr {
					k := strings.ToLower(a.Key)
					switch {
					case strings.HasPrefix(k, "on"):
						t.Errorf("event handler %s on <%s>", a.Key, n.Data)
					case k == "src" || k == "srcset" || k == "xlink:href" || k == "poster" || k == "data" || k == "action":
						t.Errorf("<%s %s=%q> loads a resource", n.Data, a.Key, a.Val)
					case k == "style" && strings.Contains(strings.ToLower(a.Val), "url("):
						t.Errorf("<%s style=%q> loads a resource", n.Data, a.Val)
					case k == "href":
						if n.DataAtom != atom.A {
							t.Errorf("href on <%s>", n.Data)
							continue
						}
						anchors++
						checkLink(t, dir, a.Val)
					}
				}
			})
			if anchors == 0 || svgs == 0 {
				t.Errorf("found %d links and %d charts; the checks above saw nothing", anchors, svgs)
			}
		})
	}
}

func checkLink(t *testing.T, dir, href string) {
	t.Helper()
	u, err := url.Parse(href)
	if err != nil {
		t.Errorf("link %q: %v", href, err)
		return
	}
	switch {
	case u.Scheme == "https" && u.Host == "kubernetes.io":
	case u.Scheme != "" || u.Host != "":
		t.Errorf("link %q leaves the report for something other than the Kubernetes documentation", href)
	case u.Path == "" && u.Fragment != "":
	case strings.HasPrefix(u.Path, "/") || strings.Contains(u.Path, ".."):
		t.Errorf("link %q is not relative to the artifacts directory", href)
	default:
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(u.Path))); err != nil {
			t.Errorf("link %q points at nothing in the artifacts: %v", href, err)
		}
	}
}

// TestTextIsEscaped: names and messages come from the cluster and the
// specs; markup in them must reach the reader as text.
func TestTextIsEscaped(t *testing.T) {
	const evil = `<script>alert("x")</script><img src=http://evil.invalid/x>`
	r := passingRun()
	r.ginkgo.SpecReports[1].LeafNodeText = "creates " + evil
	r.ginkgo.SpecReports[1].State = types.SpecStateFailed
	r.ginkgo.SpecReports[1].Failure.Message = "boom " + evil
	tl := readTimeline(t, "ordered-creation.json")
	tl.Notes = append(tl.Notes, timeline.Note{After: 3, Text: evil})
	tl.Events[0].Pod = "web-0" + evil
	dir := r.materialise(t)
	if err := tl.WriteFile(filepath.Join(dir, "timelines", "ordered-creation--web.json")); err != nil {
		t.Fatal(err)
	}
	rep, err := Build(Input{Ginkgo: r.ginkgo, ArtifactsDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Write(dir); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, HTMLFile))
	doc := parseHTML(t, data)
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Img) {
			t.Errorf("markup from the run became a <%s> element", n.Data)
		}
	})
	if c := bytes.Count(data, []byte(`&lt;script&gt;alert(`)); c < 4 {
		t.Errorf("the escaped text appears %d times; want it in the spec title, failure, note and pod lane", c)
	}
	md, _ := os.ReadFile(filepath.Join(dir, MarkdownFile))
	if !bytes.Contains(md, []byte("&lt;script&gt;")) {
		t.Errorf("report.md lost the text instead of escaping it")
	}
	// Fenced code blocks are literal in Markdown: markup is harmless there.
	var outside []string
	fenced := false
	for _, line := range strings.Split(string(md), "\n") {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
			continue
		}
		if !fenced {
			outside = append(outside, line)
		}
	}
	if text := strings.Join(outside, "\n"); strings.Contains(text, "<script") || strings.Contains(text, "<img") {
		t.Errorf("report.md passes raw HTML from the run through to the job summary:\n%s", text)
	}
}
