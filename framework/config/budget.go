package config

import "time"

// Budget is a spec's SpecTimeout, computed where the spec is declared from
// the waits it runs, one after another: their sum plus Slack, rounded up
// to a whole minute. A budget is the backstop for what no wait bounds (an
// API call that hangs, say), never the first thing to fire: each wait may
// use nearly all its timeout and still pass, so a smaller budget would cut
// the last wait short and the spec would fail with "timed out" instead of
// that wait's own message. Since the budget follows the waits, raising a
// wait's timeout by flag raises the budgets of the specs that use it.
func (t Timeouts) Budget(waits ...time.Duration) time.Duration {
	need := t.Slack
	for _, w := range waits {
		need += w
	}
	if r := need % time.Minute; r != 0 {
		need += time.Minute - r
	}
	return need
}

// Deploy is creating a StatefulSet and waiting until it is rolled out: the
// controller observing it, then the set ready.
func (t Timeouts) Deploy() time.Duration { return t.ControllerObserve + t.SetReady }
