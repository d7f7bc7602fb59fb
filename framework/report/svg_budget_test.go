package report

import (
	"encoding/json"
	"strconv"
	"testing"

	"golang.org/x/net/html"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/timeline"
)

// budgetChart draws parallel-creation.json (three pods created at once,
// so all three unavailable at first) with a maxUnavailable check recorded
// over the whole recording, as the spec records it.
func budgetChart(t *testing.T, most int) (*evidence, *html.Node) {
	t.Helper()
	tl := readTimeline(t, "parallel-creation.json")
	tl.SchemaVersion = 2
	input, err := json.Marshal(guarantee.MaxUnavailableInput{Replicas: 3, MaxUnavailable: most})
	if err != nil {
		t.Fatal(err)
	}
	tl.Checks = []timeline.Check{{Checker: "max-unavailable", Through: tl.LastSeq(), Input: input}}
	ev := &evidence{Path: "timelines/max-unavailable--web.json", Namespace: tl.Namespace, StatefulSet: tl.StatefulSet, Timeline: tl}
	ev.rejudge(nil)
	if len(ev.budgets) != 1 {
		t.Fatalf("rejudging a recorded max-unavailable check gave %d budget windows, want 1", len(ev.budgets))
	}
	return ev, parseHTML(t, []byte("<!DOCTYPE html><html><body>"+svgChart(ev)+"</body></html>"))
}

type budgetMarks struct {
	rows, counts int
	over         []string
	max, peak    string
}

func budgetMarksOf(doc *html.Node) budgetMarks {
	var m budgetMarks
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		switch {
		case hasClass(n, "budget"):
			m.rows++
			m.max, _ = attr(n, "data-max")
			m.peak, _ = attr(n, "data-peak")
		case hasClass(n, "budget-count"):
			m.counts++
		case hasClass(n, "budget-over"):
			seq, _ := attr(n, "data-seq")
			m.over = append(m.over, seq)
		}
	})
	return m
}

// Over budget: the stretches past maxUnavailable are drawn, from the
// events the checker blamed, and the peak is the checker's.
func TestBudgetWindowShowsTheOverrun(t *testing.T) {
	ev, doc := budgetChart(t, 1)
	m := budgetMarksOf(doc)
	if m.rows != 1 || m.counts != 1 {
		t.Fatalf("budget rows %d, count lines %d; want one of each", m.rows, m.counts)
	}
	if m.max != "1" || m.peak != "3" {
		t.Errorf("budget row says max %s, peak %s; want 1 and 3 (three pods created at once)", m.max, m.peak)
	}
	if len(m.over) == 0 {
		t.Fatal("no stretch over the budget is drawn, though the checker found the window over it")
	}
	blamed := map[string]bool{}
	for _, v := range ev.Violations {
		blamed[strconv.Itoa(v.Seq)] = true
	}
	for _, seq := range m.over {
		if !blamed[seq] {
			t.Errorf("the chart marks #%s over the budget, which the checker did not blame (%v)", seq, ev.Violations)
		}
	}
}

// Within budget: the window is drawn, nothing in the violation colour.
func TestBudgetWindowWithinBudget(t *testing.T) {
	ev, doc := budgetChart(t, 3)
	m := budgetMarksOf(doc)
	if m.rows != 1 || m.counts != 1 || len(m.over) != 0 {
		t.Errorf("budget rows %d, count lines %d, over %v; want one row, one line, nothing over", m.rows, m.counts, m.over)
	}
	if len(ev.Violations) != 0 {
		t.Errorf("maxUnavailable 3 of 3 cannot be exceeded, yet: %v", ev.Violations)
	}
}
