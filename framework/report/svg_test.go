package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
	"golang.org/x/net/html"

	"github.com/stsconform/stsconform/framework/timeline"
)

// chartOf builds the violation run and returns the chart drawn for the
// timeline at path, parsed as a browser would parse it inside the page.
func chartOf(t *testing.T, r run, path string) (*evidence, *html.Node) {
	t.Helper()
	dir := r.materialise(t)
	rep, err := Build(Input{Ginkgo: r.ginkgo, Environment: r.env, ArtifactsDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range rep.guarantees {
		for _, ev := range g.Timelines {
			if ev.Path == path {
				doc := parseHTML(t, []byte("<!DOCTYPE html><html><body>"+svgChart(ev)+"</body></html>"))
				return ev, doc
			}
		}
	}
	t.Fatalf("no timeline %s in the report", path)
	return nil, nil
}

func hasClass(n *html.Node, class string) bool {
	v, _ := attr(n, "class")
	for _, c := range strings.Fields(v) {
		if c == class {
			return true
		}
	}
	return false
}

func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data + " ")
		}
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

func TestViolationIsDrawn(t *testing.T) {
	ev, doc := chartOf(t, violationRun(t), "timelines/ordered-creation--web.json")
	if len(ev.Violations) != 2 {
		t.Fatalf("the checker found %d violations in parallel-creation.json; want 2 (web-2 and web-1 created before web-0 was Ready)", len(ev.Violations))
	}
	var svg *html.Node
	var lanes, violatedLanes, redBars, marks []string
	var violationText strings.Builder
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		pod, _ := attr(n, "data-pod")
		switch {
		case n.Data == "svg":
			svg = n
		case hasClass(n, "lane"):
			lanes = append(lanes, pod)
			if hasClass(n, "violation") {
				violatedLanes = append(violatedLanes, pod)
				if s, _ := attr(n, "stroke"); s != violationColour {
					t.Errorf("violated lane %s is outlined in %q, not the violation colour", pod, s)
				}
			}
		case hasClass(n, "bar"):
			if s, _ := attr(n, "stroke"); s == violationColour {
				redBars = append(redBars, pod)
			}
		case hasClass(n, "violation-mark"):
			marks = append(marks, textOf(n))
		case hasClass(n, "violation-text"):
			violationText.WriteString(textOf(n) + " ")
		}
	})
	if svg == nil || !hasClass(svg, "has-violation") {
		t.Fatalf("the chart is not marked as showing a violation")
	}
	if got := strings.Join(lanes, ","); got != "web-0,web-1,web-2" {
		t.Errorf("lanes %s; want one per pod in ordinal order", got)
	}
	if got := strings.Join(violatedLanes, ","); got != "web-1,web-2" {
		t.Errorf("lanes painted as violating: %s; want the offending pods web-1,web-2 only", got)
	}
	if len(redBars) == 0 {
		t.Errorf("no bar of an offending pod is outlined in the violation colour")
	}
	if len(marks) != 2 {
		t.Errorf("%d violation marks on the events; want 2", len(marks))
	}
	text := strings.Join(strings.Fields(violationText.String()), " ")
	for _, v := range ev.Violations {
		if !strings.Contains(text, v.Problem) {
			t.Errorf("the checker's message %q is not under the chart; found %q", v.Problem, text)
		}
	}
	if !strings.Contains(textOf(doc), "web-0 released") {
		t.Errorf("the test's note is not drawn")
	}
}

func TestPassingChartShowsNoViolation(t *testing.T) {
	ev, doc := chartOf(t, passingRun(), "timelines/ordered-creation--web.json")
	if len(ev.Checked) == 0 {
		t.Fatal("the OrderedCreation checker did not run on the ordered-creation timeline")
	}
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && (hasClass(n, "violation") || hasClass(n, "has-violation") || hasClass(n, "violation-mark")) {
			t.Errorf("a passing timeline is drawn with a violation (<%s class=%q>)", n.Data, n.Attr)
		}
	})
	// Marks: one per event, in the kind's class.
	var marks int
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && hasClass(n, "mark") {
			marks++
		}
	})
	if marks != len(ev.Timeline.Events) {
		t.Errorf("%d marks for %d events", marks, len(ev.Timeline.Events))
	}
}

func TestLanesInOrdinalOrder(t *testing.T) {
	var tl timeline.Timeline
	for i, pod := range []string{"web-10", "web-2", "other", "web-1", "web-10"} {
		uid := pod
		if i == 4 {
			uid = "web-10-again" // a second incarnation shares the lane
		}
		tl.Events = append(tl.Events, timeline.Event{Seq: i + 1, Kind: timeline.Created, Pod: pod, UID: uid, Ordinal: timeline.ParseOrdinal("web", pod)})
	}
	var got []string
	for _, l := range lanesOf(tl, nil) {
		got = append(got, l.pod+":"+strings.Repeat("|", len(l.incarnations)))
	}
	if want := "web-1:|,web-2:|,web-10:||,other:|"; strings.Join(got, ",") != want {
		t.Errorf("lanes %s; want %s", strings.Join(got, ","), want)
	}
}

// TestEveryTimelineIsDrawn: a timeline recorded by a spec without a
// guarantee label, or reported by no spec, is still drawn, once.
func TestEveryTimelineIsDrawn(t *testing.T) {
	r := passingRun()
	r.ginkgo.SpecReports = append(r.ginkgo.SpecReports,
		spec("Scratch", "an unlabelled spec", nil, types.SpecStatePassed, timelineEntry("scratch")))
	r.copies = map[string]string{"timelines/scratch--web.json": "cascading-delete.json", "timelines/stray--web.json": "ordered-creation.json"}
	for k, v := range passingCopies {
		r.copies[k] = v
	}
	dir := writeScenario(t, r)
	data, err := os.ReadFile(filepath.Join(dir, HTMLFile))
	if err != nil {
		t.Fatal(err)
	}
	drawn := map[string]int{}
	walk(parseHTML(t, data), func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "figure" {
			id, _ := attr(n, "id")
			drawn[strings.TrimPrefix(id, "tl-")]++
		}
	})
	for rel := range r.copies {
		if drawn[rel] != 1 {
			t.Errorf("%s is drawn %d times; want once", rel, drawn[rel])
		}
	}
	if len(drawn) != len(r.copies) {
		t.Errorf("charts for %v; want one per timeline file", drawn)
	}
}
