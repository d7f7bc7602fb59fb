package timeline

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Condition is a question about a recording, for WaitFor and Await. It is
// asked of the whole timeline, since several events may arrive between two
// evaluations.
type Condition func(Timeline) bool

// Has holds once the timeline shows an event of the kind for the pod after
// seq. Baseline events do not count: nobody saw them happen.
func Has(kind EventKind, pod string, after int) Condition {
	return func(tl Timeline) bool {
		for _, e := range tl.Since(after).Events {
			if e.Kind == kind && e.Pod == pod && !e.Baseline {
				return true
			}
		}
		return false
	}
}

// ReadyAgain holds once a new incarnation of pod (a UID other than old) has
// become Ready after seq.
func ReadyAgain(pod, old string, after int) Condition {
	return func(tl Timeline) bool {
		for _, e := range tl.Since(after).Events {
			if e.Kind == Ready && e.Pod == pod && e.UID != old && !e.Baseline {
				return true
			}
		}
		return false
	}
}

// PodsGone holds once each of the pods has a Deleted event after seq (as
// ClaimsGone does for claims).
func PodsGone(after int, pods ...string) Condition {
	conds := make([]Condition, 0, len(pods))
	for _, p := range pods {
		conds = append(conds, Has(Deleted, p, after))
	}
	return AllOf(conds...)
}

// AllOf holds when every condition does.
func AllOf(conds ...Condition) Condition {
	return func(tl Timeline) bool {
		for _, c := range conds {
			if !c(tl) {
				return false
			}
		}
		return true
	}
}

// PodsWith lists the pod of each event of one of the kinds after seq, in
// order, once per event; baseline events do not count.
func (tl Timeline) PodsWith(after int, kinds ...EventKind) []string {
	var out []string
	for _, e := range tl.Since(after).Events {
		if !e.Baseline && slices.Contains(kinds, e.Kind) {
			out = append(out, e.Pod)
		}
	}
	return out
}

// Await is WaitFor bounded by timeout, for a spec: it returns the timeline
// that satisfied cond, or an error opening with what it waited for and how
// long, then the whole recording so far, since the events show why.
func (r *Recorder) Await(ctx context.Context, timeout time.Duration, what string, cond Condition) (Timeline, error) {
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := r.WaitFor(wctx, cond); err != nil {
		return r.Snapshot(), fmt.Errorf("waiting %s for %s; timeline so far:\n%s%w", timeout, what, r.Snapshot().Render(), err)
	}
	return r.Snapshot(), nil
}

// HoldsFor watches the recording for d and fails as soon as problem, asked
// of the timeline whenever it changes, names one: the watch-driven form of
// "nothing may happen for d" (a hold that must stop the controller). The
// error's first line is the problem; the recording follows. A recording
// that ends, or a ctx that ends, before d has passed is an error too: the
// hold was not seen to the end.
func (r *Recorder) HoldsFor(ctx context.Context, d time.Duration, problem func(Timeline) string) error {
	start := time.Now()
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		r.mu.Lock()
		tl := r.snapshotLocked()
		changed, stopped, err := r.changed, r.stopped, r.err
		r.mu.Unlock()

		if p := problem(tl); p != "" {
			return fmt.Errorf("%s\nseen %s into the %s hold; timeline so far:\n%s", p, time.Since(start).Round(time.Millisecond), d, tl.Render())
		}
		if stopped {
			if err == nil {
				err = ErrStopped
			}
			return fmt.Errorf("the recording of %s/%s ended %s into the %s hold: %w", r.namespace, r.statefulSet, time.Since(start).Round(time.Millisecond), d, err)
		}
		select {
		case <-changed:
		case <-timer.C:
			// What arrived with the timer counts.
			last := r.Snapshot()
			if p := problem(last); p != "" {
				return fmt.Errorf("%s\nseen at the end of the %s hold; timeline so far:\n%s", p, d, last.Render())
			}
			return nil
		case <-ctx.Done():
			return fmt.Errorf("the %s hold on %s/%s was cut short after %s: %w", d, r.namespace, r.statefulSet, time.Since(start).Round(time.Millisecond), context.Cause(ctx))
		}
	}
}
