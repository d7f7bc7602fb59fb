package report

import (
	"cmp"
	"fmt"
	"html"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/stsconform/stsconform/framework/timeline"
)

// Chart geometry, in SVG user units (pixels at 100% zoom).
const (
	chartW    = 960
	labelW    = 118 // pod names
	rightPad  = 28
	topPad    = 30 // note badges
	laneH     = 38
	barH      = 12
	axisH     = 34
	lineH     = 16
	charW     = 6.4 // average width of a 11px sans-serif character, for wrapping
	fontStack = `system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif`
)

// Colours of the pod states between events, and of the event marks.
var (
	stateFill = map[string]string{
		"pending":     "#cfd8dc",
		"running":     "#ffd54f",
		"ready":       "#66bb6a",
		"terminating": "#a1887f",
	}
	markFill = map[timeline.EventKind]string{
		timeline.Created:     "#1e88e5",
		timeline.Scheduled:   "#8e24aa",
		timeline.Running:     "#f57f17",
		timeline.Ready:       "#1b5e20",
		timeline.Unready:     "#e65100",
		timeline.Failed:      "#b71c1c",
		timeline.Terminating: "#4e342e",
		timeline.Deleted:     "#212121",
	}
	kinds = []timeline.EventKind{timeline.Created, timeline.Scheduled, timeline.Running, timeline.Ready,
		timeline.Unready, timeline.Failed, timeline.Terminating, timeline.Deleted}
)

const violationColour = "#c62828"

type lane struct {
	pod          string
	ordinal      int
	incarnations [][]timeline.Event
	violated     bool
}

// noteGroup is the notes after one event: notes carry the Seq they
// follow, not a time, so the chart shades the window up to the next event.
type noteGroup struct {
	after int
	texts []string
}

// svgChart draws one timeline: a lane per pod in ordinal order on a common
// time axis, state bars per incarnation, a mark per event, node and
// revision changes, the test's notes as shaded bands, the maxUnavailable
// windows its checks judged against their budget, and the violations in
// red on the offending pod's lane with the checker's message underneath.
// All text is escaped: pod names, notes and messages come from the cluster
// and the test, not from this package.
func svgChart(ev *evidence) string {
	tl := ev.Timeline
	lanes := lanesOf(tl, ev.Violations)
	if len(tl.Events) == 0 {
		return `<p class="empty">No events were recorded.</p>`
	}
	t0, t1 := tl.Events[0].ObservedAt, tl.Events[0].ObservedAt
	for _, e := range tl.Events {
		if e.ObservedAt.Before(t0) {
			t0 = e.ObservedAt
		}
		if e.ObservedAt.After(t1) {
			t1 = e.ObservedAt
		}
	}
	span := t1.Sub(t0)
	if span <= 0 {
		span = time.Second
	}
	plotW := float64(chartW - labelW - rightPad)
	x := func(t time.Time) float64 {
		return float64(labelW) + float64(t.Sub(t0))/float64(span)*plotW
	}
	timeOf := map[int]time.Time{}
	for _, e := range tl.Events {
		timeOf[e.Seq] = e.ObservedAt
	}

	notes := groupNotes(tl.Notes)
	textW := float64(chartW - 40)
	wrapAt := int(textW / charW)
	var noteLines, violationLines []string
	for i, g := range notes {
		for _, t := range g.texts {
			noteLines = append(noteLines, wrap(fmt.Sprintf("%d. %s: %s", i+1, g.where(), t), wrapAt)...)
		}
	}
	for i, v := range ev.Violations {
		who := "end state"
		if v.Pod != "" {
			who = fmt.Sprintf("%s at #%d", v.Pod, v.Seq)
		}
		violationLines = append(violationLines, wrap(fmt.Sprintf("✕%d %s: %s", i+1, who, v.Problem), wrapAt)...)
	}

	// The maxUnavailable windows sit under the lanes, on the same axis.
	lanesBottom := topPad + len(lanes)*laneH + budgetsHeight(ev.budgets)
	legendY := lanesBottom + axisH + 14
	y := legendY + 22
	height := y + 8 + len(noteLines)*lineH
	if len(noteLines) > 0 {
		height += lineH
	}
	if len(violationLines) > 0 {
		height += lineH + len(violationLines)*lineH
	}

	var b strings.Builder
	svgClass := "timeline"
	if len(ev.Violations) > 0 {
		svgClass += " has-violation"
	}
	fmt.Fprintf(&b, `<svg class="%s" role="img" aria-label="%s" width="%d" height="%d" viewBox="0 0 %d %d" font-family="%s" font-size="11">`,
		svgClass, esc(fmt.Sprintf("Timeline of %s/%s", tl.Namespace, tl.StatefulSet)), chartW, height, chartW, height, esc(fontStack))
	fmt.Fprintf(&b, `<title>%s</title>`, esc(fmt.Sprintf("Pods of StatefulSet %s/%s over time (%s)", tl.Namespace, tl.StatefulSet, ev.Path)))

	// Lanes and pod names.
	for i, l := range lanes {
		ly := topPad + i*laneH
		fill, cls, stroke := "#ffffff", "lane", ""
		if i%2 == 1 {
			fill = "#f6f8fa"
		}
		if l.violated {
			fill, cls, stroke = "#ffebee", "lane violation", fmt.Sprintf(` stroke="%s" stroke-width="1.5"`, violationColour)
		}
		fmt.Fprintf(&b, `<rect class="%s" data-pod="%s" x="0.5" y="%d.5" width="%d" height="%d" fill="%s"%s/>`,
			cls, esc(l.pod), ly, chartW-1, laneH-1, fill, stroke)
		colour := "#24292f"
		if l.violated {
			colour = violationColour
		}
		fmt.Fprintf(&b, `<text x="10" y="%d" font-size="12" font-weight="600" fill="%s">%s</text>`, ly+laneH/2+4, colour, esc(l.pod))
	}

	drawBudgets(&b, ev.budgets, topPad+len(lanes)*laneH, x)

	// Grid and axis.
	step := tickStep(span)
	for t := time.Duration(0); t <= span+step/1000; t += step {
		tx := x(t0.Add(t))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#d0d7de" stroke-dasharray="2 3"/>`, tx, topPad, tx, lanesBottom)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#57606a"/>`, tx, lanesBottom, tx, lanesBottom+5)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" fill="#57606a">%s</text>`, tx, lanesBottom+17, esc(offset(t)))
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#57606a"/>`, labelW, lanesBottom, chartW-rightPad, lanesBottom)
	fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#57606a">%s</text>`, labelW, lanesBottom+31,
		esc(fmt.Sprintf("time since the first event, by the recorder's clock (t0 = %s UTC)", t0.UTC().Format("2006-01-02 15:04:05.000"))))

	// Notes: a shaded band from the event a note follows to the next one.
	lastBadge := -100.0
	for i, g := range notes {
		from, ok := timeOf[g.after]
		if !ok {
			from = t0
			if g.after > tl.LastSeq() {
				from = t1
			}
		}
		to, ok := timeOf[g.after+1]
		if !ok {
			to = from
		}
		x0, x1 := x(from), x(to)
		fmt.Fprintf(&b, `<rect class="note" x="%.1f" y="%d" width="%.1f" height="%d" fill="#0969da" fill-opacity="0.07"/>`, x0, topPad, math.Max(x1-x0, 0), lanesBottom-topPad)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#0969da" stroke-dasharray="4 3"/>`, x0, topPad-8, x0, lanesBottom)
		bx := math.Max(x0, lastBadge+18)
		lastBadge = bx
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%d" r="8" fill="#0969da"/><text x="%.1f" y="%d" text-anchor="middle" font-size="10" font-weight="700" fill="#ffffff">%d</text>`,
			bx, topPad-14, bx, topPad-10, i+1)
	}

	// Bars, marks, node and revision changes.
	firstRevision := ""
	for _, e := range tl.Events {
		if e.Revision != "" {
			firstRevision = e.Revision
			break
		}
	}
	for i, l := range lanes {
		cy := topPad + i*laneH + laneH/2
		prevNode, prevRevision := "", firstRevision
		for _, inc := range l.incarnations {
			drawBars(&b, inc, x, x(t1), cy, l.violated)
			for _, e := range inc {
				switch {
				case e.Kind == timeline.Scheduled && e.Node != "":
					label, weight, colour := e.Node, "400", "#57606a"
					if prevNode != "" && e.Node != prevNode {
						label, weight, colour = "→ "+e.Node, "700", "#6f42c1"
					}
					fmt.Fprintf(&b, `<text class="node" %s y="%d" font-size="10" font-weight="%s" fill="%s">%s</text>`, fitX(x(e.ObservedAt)+3, label), cy+barH/2+11, weight, colour, esc(label))
					prevNode = e.Node
				case e.Kind == timeline.Created && e.Revision != "" && e.Revision != prevRevision:
					mx := x(e.ObservedAt)
					fmt.Fprintf(&b, `<path class="revision" d="M%.1f %d l5 5 l-5 5 l-5 -5 z" fill="#0a7d8c"/>`, mx, cy-barH/2-11)
					label := "revision " + e.Revision
					fmt.Fprintf(&b, `<text class="revision" %s y="%d" font-size="10" font-weight="700" fill="#0a7d8c">%s</text>`, fitX(mx+7, label), cy-barH/2-2, esc(label))
				}
				if e.Revision != "" {
					prevRevision = e.Revision
				}
			}
			for _, e := range inc {
				drawMark(&b, e, x(e.ObservedAt), cy)
			}
		}
	}
	for i, v := range ev.Violations {
		if v.Pod == "" {
			continue
		}
		li := slices.IndexFunc(lanes, func(l lane) bool { return l.pod == v.Pod })
		t, ok := timeOf[v.Seq]
		if li < 0 || !ok {
			continue
		}
		cx, cy := x(t), topPad+li*laneH+laneH/2
		// The number sits on a tag left of the ring, over the state before
		// the event, where no label of the lane is drawn.
		tag := fmt.Sprintf("✕%d", i+1)
		tw := float64(len([]rune(tag)))*7 + 6
		fmt.Fprintf(&b, `<g class="violation-mark"><circle cx="%.1f" cy="%d" r="8" fill="none" stroke="%s" stroke-width="2.5"/>`, cx, cy, violationColour)
		fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="14" rx="7" fill="#ffffff" stroke="%s"/><text x="%.1f" y="%d" text-anchor="middle" font-size="10" font-weight="700" fill="%s">%s</text></g>`,
			cx-10-tw, cy-7, tw, violationColour, cx-10-tw/2, cy+4, violationColour, tag)
	}

	drawLegend(&b, legendY)
	y = legendY + 22
	if len(noteLines) > 0 {
		y += 8
		fmt.Fprintf(&b, `<text x="10" y="%d" font-weight="700" fill="#24292f">Test notes (shaded from the event each follows to the next event):</text>`, y)
		for _, line := range noteLines {
			y += lineH
			fmt.Fprintf(&b, `<text class="note-text" x="18" y="%d" fill="#24292f">%s</text>`, y, esc(line))
		}
		y += lineH
	}
	if len(violationLines) > 0 {
		y += 8
		fmt.Fprintf(&b, `<text class="violation-text" x="10" y="%d" font-weight="700" fill="%s">Violations found by the checker:</text>`, y, violationColour)
		for _, line := range violationLines {
			y += lineH
			fmt.Fprintf(&b, `<text class="violation-text" x="18" y="%d" fill="%s">%s</text>`, y, violationColour, esc(line))
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// lanesOf groups events by pod, in ordinal order (names that are not
// ordinals last, by name), and each pod's events by incarnation (UID).
func lanesOf(tl timeline.Timeline, vs []violation) []lane {
	byPod := map[string]*lane{}
	var order []*lane
	incIndex := map[string]int{}
	for _, e := range tl.Events {
		l := byPod[e.Pod]
		if l == nil {
			l = &lane{pod: e.Pod, ordinal: e.Ordinal}
			byPod[e.Pod] = l
			order = append(order, l)
		}
		// Keyed by pod too: a UID names one pod, but a malformed timeline
		// must not be able to make the chart index another pod's lane.
		key := e.Pod + "\x00" + e.UID
		i, ok := incIndex[key]
		if !ok {
			i = len(l.incarnations)
			incIndex[key] = i
			l.incarnations = append(l.incarnations, nil)
		}
		l.incarnations[i] = append(l.incarnations[i], e)
	}
	for _, v := range vs {
		if l := byPod[v.Pod]; l != nil {
			l.violated = true
		}
	}
	slices.SortStableFunc(order, func(a, b *lane) int {
		if (a.ordinal < 0) != (b.ordinal < 0) {
			return cmp.Compare(b.ordinal, a.ordinal)
		}
		return cmp.Or(cmp.Compare(a.ordinal, b.ordinal), strings.Compare(a.pod, b.pod))
	})
	out := make([]lane, len(order))
	for i, l := range order {
		out[i] = *l
	}
	return out
}

// drawBars paints one incarnation's states between its events; a pod not
// Deleted by the end of the recording runs to the end of the axis.
func drawBars(b *strings.Builder, inc []timeline.Event, x func(time.Time) float64, end float64, cy int, violated bool) {
	state, from := "pending", x(inc[0].ObservedAt)
	stroke := ""
	if violated {
		stroke = fmt.Sprintf(` stroke="%s" stroke-width="1.5"`, violationColour)
	}
	flush := func(to float64) {
		w := math.Max(to-from, 1.5)
		fmt.Fprintf(b, `<rect class="bar %s" x="%.1f" y="%d" width="%.1f" height="%d" rx="2" fill="%s"%s/>`, state, from, cy-barH/2, w, barH, stateFill[state], stroke)
	}
	for _, e := range inc {
		next := state
		switch e.Kind {
		case timeline.Running:
			if state == "pending" {
				next = "running"
			}
		case timeline.Ready:
			if state != "terminating" {
				next = "ready"
			}
		case timeline.Unready:
			if state != "terminating" {
				next = "running"
			}
		case timeline.Terminating:
			next = "terminating"
		case timeline.Deleted:
			flush(x(e.ObservedAt))
			return
		}
		if next != state {
			flush(x(e.ObservedAt))
			state, from = next, x(e.ObservedAt)
		}
	}
	flush(end)
}

// fitX places a label starting at x, or ending there when it would run
// past the right edge of the chart.
func fitX(x float64, label string) string {
	const smallCharW = 6.0
	if x+float64(len([]rune(label)))*smallCharW > chartW-4 {
		return fmt.Sprintf(`x="%.1f" text-anchor="end"`, x-10)
	}
	return fmt.Sprintf(`x="%.1f"`, x)
}

func drawMark(b *strings.Builder, e timeline.Event, mx float64, cy int) {
	fmt.Fprintf(b, `<g class="mark %s">`, strings.ToLower(string(e.Kind)))
	fmt.Fprintf(b, `<title>%s</title>`, esc(e.String()))
	markShape(b, e.Kind, mx, float64(cy))
	b.WriteString(`</g>`)
}

func markShape(b *strings.Builder, k timeline.EventKind, mx, cy float64) {
	fill := markFill[k]
	switch k {
	case timeline.Scheduled:
		fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="7" height="7" fill="%s" stroke="#ffffff"/>`, mx-3.5, cy-3.5, fill)
	case timeline.Terminating:
		fmt.Fprintf(b, `<path d="M%.1f %.1f h9 l-4.5 8 z" fill="%s" stroke="#ffffff"/>`, mx-4.5, cy-4, fill)
	case timeline.Deleted:
		fmt.Fprintf(b, `<path d="M%.1f %.1f l8 8 M%.1f %.1f l-8 8" stroke="%s" stroke-width="2.2"/>`, mx-4, cy-4, mx+4, cy-4, fill)
	case timeline.Unready:
		fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="#ffffff" stroke="%s" stroke-width="2"/>`, mx, cy, fill)
	default:
		fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="4" fill="%s" stroke="#ffffff" stroke-width="1.2"/>`, mx, cy, fill)
	}
}

func drawLegend(b *strings.Builder, y int) {
	lx := 10.0
	for _, k := range kinds {
		markShape(b, k, lx+4, float64(y))
		fmt.Fprintf(b, `<text x="%.1f" y="%d" fill="#24292f">%s</text>`, lx+12, y+4, k)
		// 20: the eight marks and four states fit chartW on one line.
		lx += 20 + float64(len(k))*charW
	}
	lx += 10
	for _, s := range []string{"pending", "running", "ready", "terminating"} {
		label := s
		if s == "running" {
			label = "running, not ready"
		}
		fmt.Fprintf(b, `<rect x="%.1f" y="%d" width="18" height="10" rx="2" fill="%s"/>`, lx, y-5, stateFill[s])
		fmt.Fprintf(b, `<text x="%.1f" y="%d" fill="#24292f">%s</text>`, lx+22, y+4, label)
		lx += 34 + float64(len(label))*charW
	}
}

func (g noteGroup) where() string {
	if g.after == 0 {
		return "before the first event"
	}
	return fmt.Sprintf("after #%d", g.after)
}

func groupNotes(notes []timeline.Note) []noteGroup {
	var out []noteGroup
	for _, n := range notes {
		if len(out) > 0 && out[len(out)-1].after == n.After {
			out[len(out)-1].texts = append(out[len(out)-1].texts, n.Text)
			continue
		}
		out = append(out, noteGroup{after: n.After, texts: []string{n.Text}})
	}
	return out
}

// tickStep picks a round interval giving at most about ten ticks.
func tickStep(span time.Duration) time.Duration {
	for _, s := range []time.Duration{
		100 * time.Millisecond, 200 * time.Millisecond, 500 * time.Millisecond,
		time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
		time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	} {
		if span/s <= 10 {
			return s
		}
	}
	return time.Hour
}

func offset(d time.Duration) string {
	if d < time.Second && d > 0 {
		return fmt.Sprintf("+%.1fs", d.Seconds())
	}
	if d < time.Minute {
		return fmt.Sprintf("+%gs", math.Round(d.Seconds()*10)/10)
	}
	return "+" + d.Round(time.Second).String()
}

func wrap(s string, width int) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			if line != "" && len([]rune(line))+1+len([]rune(w)) > width {
				lines = append(lines, line)
				line = "   " + w
				continue
			}
			if line == "" {
				line = w
			} else {
				line += " " + w
			}
		}
		if line != "" {
			lines = append(lines, line)
		}
	}
	return lines
}

func esc(s string) string { return html.EscapeString(s) }
