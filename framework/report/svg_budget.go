package report

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/timeline"
)

// budget is one maxUnavailable window a recorded check judged: the
// unavailable count after each of its events against the most allowed.
type budget struct {
	Replicas, Max int
	Points        []guarantee.Unavailable
	// End is the window's last event: the last level runs to it.
	End time.Time
}

func budgetOf(in guarantee.MaxUnavailableInput, window timeline.Timeline) budget {
	b := budget{Replicas: in.Replicas, Max: in.MaxUnavailable, Points: in.Series(window)}
	if n := len(window.Events); n > 0 {
		b.End = window.Events[n-1].ObservedAt
	}
	return b
}

// peak is the most pods unavailable at once in the window.
func (b budget) peak() int {
	most := 0
	for _, p := range b.Points {
		most = max(most, p.Down)
	}
	return most
}

// budgetRowH is the height of one window's row under the lanes.
const budgetRowH = 64

func budgetsHeight(bs []budget) int { return len(bs) * budgetRowH }

// drawBudgets draws each window as a step line of the unavailable count
// from the event it follows to the next, the budget as a dashed line, and
// the stretches above it in the violation colour, so a reader sees how
// close the update came to maxUnavailable and where it went past.
func drawBudgets(b *strings.Builder, bs []budget, top int, x func(time.Time) float64) {
	for i, bd := range bs {
		ry := top + i*budgetRowH
		fmt.Fprintf(b, `<g class="budget" data-max="%d" data-peak="%d">`, bd.Max, bd.peak())
		fmt.Fprintf(b, `<rect x="0.5" y="%d.5" width="%d" height="%d" fill="#fbfbfd" stroke="#d0d7de"/>`, ry, chartW-1, budgetRowH-1)
		fmt.Fprintf(b, `<text x="10" y="%d" font-size="12" font-weight="600" fill="#24292f">unavailable</text>`, ry+20)
		fmt.Fprintf(b, `<text x="10" y="%d" font-size="10" fill="#57606a">%s</text>`, ry+34,
			esc(fmt.Sprintf("of %d; budget %d", bd.Replicas, bd.Max)))
		fmt.Fprintf(b, `<text x="10" y="%d" font-size="10" fill="#57606a">%s</text>`, ry+48,
			esc(fmt.Sprintf("most at once %d", bd.peak())))
		scale := float64(max(bd.Replicas, bd.Max, bd.peak(), 1))
		plotTop, plotH := float64(ry+8), float64(budgetRowH-16)
		level := func(n int) float64 { return plotTop + plotH - float64(n)/scale*plotH }
		limit := level(bd.Max)
		fmt.Fprintf(b, `<line class="budget-limit" x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#cf222e" stroke-dasharray="5 3"/>`,
			labelW, limit, chartW-rightPad, limit)
		fmt.Fprintf(b, `<text x="%d" y="%.1f" text-anchor="end" font-size="10" fill="#cf222e">max %d</text>`, chartW-4, limit-2, bd.Max)
		var path strings.Builder
		for j, p := range bd.Points {
			x0, x1 := x(p.At), x(bd.End)
			if j+1 < len(bd.Points) {
				x1 = x(bd.Points[j+1].At)
			}
			y := level(p.Down)
			if j == 0 {
				fmt.Fprintf(&path, "M%.1f %.1f", x0, y)
			} else {
				fmt.Fprintf(&path, " V%.1f", y)
			}
			fmt.Fprintf(&path, " H%.1f", math.Max(x1, x0))
			if p.Down > bd.Max {
				fmt.Fprintf(b, `<rect class="budget-over" data-seq="%d" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" fill-opacity="0.35"/>`,
					p.Seq, x0, y, math.Max(x1-x0, 1.5), limit-y, violationColour)
			}
		}
		if path.Len() > 0 {
			fmt.Fprintf(b, `<path class="budget-count" d="%s" fill="none" stroke="#0969da" stroke-width="1.8"/>`, path.String())
		}
		b.WriteString(`</g>`)
	}
}
