package config

import (
	"flag"
	"testing"
	"time"
)

func TestBudget(t *testing.T) {
	d := DefaultTimeouts()
	for _, c := range []struct {
		waits []time.Duration
		want  time.Duration
	}{
		{nil, time.Minute}, // Slack alone
		{[]time.Duration{d.Deploy()}, 5 * time.Minute},            // 30s + 4m + 30s
		{[]time.Duration{d.Deploy(), d.PodGone}, 7 * time.Minute}, // 6m30s, rounded up
		{[]time.Duration{30 * time.Second}, time.Minute},
	} {
		if got := d.Budget(c.waits...); got != c.want {
			t.Errorf("Budget(%v) = %s, want %s", c.waits, got, c.want)
		}
	}
}

// A wait raised by flag raises the budget of every spec that runs it, so
// the wait still fails first with its own message.
func TestBudgetFollowsTheWaits(t *testing.T) {
	var c Config
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	c.Register(fs)
	before := c.Timeouts.Budget(c.Timeouts.Deploy(), c.Timeouts.PodReady)
	if err := fs.Parse([]string{"--timeout-set-ready=10m"}); err != nil {
		t.Fatal(err)
	}
	after := c.Timeouts.Budget(c.Timeouts.Deploy(), c.Timeouts.PodReady)
	if after-before != 6*time.Minute || after <= c.Timeouts.Deploy()+c.Timeouts.PodReady {
		t.Errorf("budget %s -> %s after raising --timeout-set-ready by 6m", before, after)
	}
}
