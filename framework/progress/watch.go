package progress

import (
	"context"
	"time"
)

// Interval is the longest a person watching waits for a line.
const Interval = 30 * time.Second

// WatchInput says what to watch and where the lines go.
type WatchInput struct {
	// Dir holds the event files (the artifacts directory's Dir).
	Dir string
	// Print takes each line (Prefix included).
	Print  func(string)
	Prefix string
	// Last are the last run's spec times, for the estimate; nil: this
	// run's pace.
	Last Times
	// Interval between lines when no spec ends (Interval when zero);
	// Poll is how often the files are read (a second when zero).
	Interval, Poll time.Duration
}

// Watch prints a line whenever specs end, and at least every Interval
// once the suite has started, until ctx ends or stop is called; stop
// returns once the watcher has.
func Watch(ctx context.Context, in WatchInput) (stop func()) {
	if in.Interval <= 0 {
		in.Interval = Interval
	}
	if in.Poll <= 0 {
		in.Poll = time.Second
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := NewTracker(in.Dir)
		tick := time.NewTicker(in.Poll)
		defer tick.Stop()
		var lastLine time.Time
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-tick.C:
				ended, _ := t.Poll()
				if ended == 0 && now.Sub(lastLine) < in.Interval {
					continue
				}
				if line := t.State().Line(now, in.Last); line != "" {
					in.Print(in.Prefix + line)
					lastLine = now
				}
			}
		}
	}()
	return func() { cancel(); <-done }
}
