// Package poll is the suite's wait for what has no watch: ask until the
// answer is right or the timeout passes, keeping the last wrong answer for
// the failure message, as Gomega's Eventually does for specs. Framework
// waits (statefulset.WaitRolledOut, pod.WaitReady, ...) are built on it and
// return errors that open with their cause; specs only assert them.
package poll

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Until asks check at once and then every interval until it returns nil,
// and returns nil then. A check error says why the answer is not right
// yet (the object's state, or a failed request); it does not end the wait,
// unless it is a Stop. When timeout passes first, or ctx ends, Until
// returns a *TimeoutError holding the last such answer.
func Until(ctx context.Context, timeout, interval time.Duration, check func(context.Context) error) error {
	if interval <= 0 {
		return errors.New("poll: the interval must be positive")
	}
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var last error
	for {
		err := check(wctx)
		if err == nil {
			return nil
		}
		if s, ok := errors.AsType[*stop](err); ok {
			return s.err
		}
		// A check cut short by the deadline says less than the answer
		// before it.
		if last == nil || wctx.Err() == nil {
			last = err
		}
		t := time.NewTimer(interval)
		select {
		case <-wctx.Done():
			t.Stop()
			e := &TimeoutError{Timeout: timeout, Last: last}
			if ctx.Err() != nil {
				e.Cause = context.Cause(ctx)
			}
			return e
		case <-t.C:
		}
	}
}

// Stop ends Until at once with err: the answer will not change (a znode
// read back with other data, a pod rejected for good).
func Stop(err error) error { return &stop{err} }

type stop struct{ err error }

func (s *stop) Error() string { return s.err.Error() }

// TimeoutError is a wait that ended before its check passed.
type TimeoutError struct {
	Timeout time.Duration
	// Last is the check's last answer.
	Last error
	// Cause is why the caller's context ended first; nil when the timeout
	// passed.
	Cause error
}

func (e *TimeoutError) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("cut short before %s (%v); last: %v", e.Timeout, e.Cause, e.Last)
	}
	return fmt.Sprintf("not within %s; last: %v", e.Timeout, e.Last)
}

// Unwrap gives the last answer, so that errors.Is and As see it.
func (e *TimeoutError) Unwrap() error { return e.Last }
