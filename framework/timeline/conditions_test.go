package timeline

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestConditions(t *testing.T) {
	tl := sample() // web-0 a Created, Ready; web-1 b Created, Terminating, Deleted; web-1 c Created, Ready
	cases := []struct {
		name string
		cond Condition
		want bool
	}{
		{"an event after the mark", Has(Ready, "web-1", 5), true},
		{"an event only before the mark", Has(Ready, "web-0", 2), false},
		{"another pod's event", Has(Deleted, "web-0", 0), false},
		{"a new incarnation Ready", ReadyAgain("web-1", "b", 2), true},
		{"only the old incarnation", ReadyAgain("web-0", "a", 0), false},
		{"all of two", AllOf(Has(Ready, "web-1", 5), Has(Created, "web-1", 0)), true},
		{"one of two", AllOf(Has(Ready, "web-1", 5), Has(Ready, "web-0", 2)), false},
		{"pod gone", PodsGone(2, "web-1"), true},
		{"pod gone, another not", PodsGone(2, "web-1", "web-0"), false},
		{"pod gone before the mark", PodsGone(5, "web-1"), false},
	}
	for _, c := range cases {
		if got := c.cond(tl); got != c.want {
			t.Errorf("%s: %t, want %t", c.name, got, c.want)
		}
	}
	baseline := sample()
	baseline.Events[1].Baseline = true
	if Has(Ready, "web-0", 0)(baseline) {
		t.Error("a baseline event counted as seen")
	}
	if got := tl.PodsWith(2, Created, Deleted); !slices.Equal(got, []string{"web-1", "web-1", "web-1"}) {
		t.Errorf("PodsWith(2, Created, Deleted) = %v", got)
	}
	if got := tl.PodsWith(7, Created); got != nil {
		t.Errorf("PodsWith after the last event = %v", got)
	}
}

func TestAwait(t *testing.T) {
	a := newFakeAPI(t)
	ctx := testContext(t)
	r := mustStart(ctx, t, a)
	go func() {
		a.create("web-0", "rev1")
		a.update("web-0", run("10.0.0.1"))
	}()
	tl, err := r.Await(ctx, 10*time.Second, "web-0 Running", Has(Running, "web-0", 0))
	if err != nil || !Has(Running, "web-0", 0)(tl) {
		t.Fatalf("Await = %v", err)
	}
	_, err = r.Await(ctx, 50*time.Millisecond, "web-0 Ready", Has(Ready, "web-0", 0))
	if err == nil || !strings.HasPrefix(err.Error(), "waiting 50ms for web-0 Ready; timeline so far:\n  #1 Created web-0") ||
		!errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Await timing out = %v", err)
	}
}

// HoldsFor fails on the first change that shows the problem, not on the
// next poll, and passes a hold that nothing breaks.
func TestHoldsFor(t *testing.T) {
	a := newFakeAPI(t)
	ctx := testContext(t)
	r := mustStart(ctx, t, a)
	a.create("web-0", "rev1")
	waitFor(ctx, t, r, "web-0 Created", hasEvent(Created, "web-0"))
	mark := r.Mark("holding")
	noWeb1 := func(tl Timeline) string {
		if slices.Contains(tl.PodsWith(mark, Created), "web-1") {
			return "web-1 was created during the hold"
		}
		return ""
	}
	if err := r.HoldsFor(ctx, 100*time.Millisecond, noWeb1); err != nil {
		t.Fatalf("a hold nothing broke: %v", err)
	}
	start := time.Now()
	go func() {
		time.Sleep(50 * time.Millisecond)
		a.create("web-1", "rev1")
	}()
	err := r.HoldsFor(ctx, 20*time.Second, noWeb1)
	if err == nil || !strings.HasPrefix(err.Error(), "web-1 was created during the hold\nseen ") || !strings.Contains(err.Error(), "Created web-1") {
		t.Fatalf("HoldsFor = %v", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the violation was reported after %s, not when it was recorded", took)
	}
	cut, cancel := context.WithCancel(ctx)
	cancel()
	if err := r.HoldsFor(cut, time.Minute, func(Timeline) string { return "" }); err == nil || !strings.Contains(err.Error(), "cut short") {
		t.Errorf("HoldsFor with an ended context = %v", err)
	}
	r.Stop()
	if err := r.HoldsFor(ctx, time.Minute, func(Timeline) string { return "" }); !errors.Is(err, ErrStopped) {
		t.Errorf("HoldsFor on a stopped recording = %v", err)
	}
}
