package poll

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestUntil(t *testing.T) {
	n := 0
	err := Until(t.Context(), time.Second, time.Millisecond, func(context.Context) error {
		if n++; n < 3 {
			return errors.New("not yet")
		}
		return nil
	})
	if err != nil || n != 3 {
		t.Fatalf("Until = %v after %d checks", err, n)
	}

	notFound := errors.New("not found")
	err = Until(t.Context(), 20*time.Millisecond, time.Millisecond, func(context.Context) error { return notFound })
	var te *TimeoutError
	if !errors.As(err, &te) || !errors.Is(err, notFound) || te.Cause != nil || !strings.HasPrefix(err.Error(), "not within 20ms; last: not found") {
		t.Errorf("a wait that times out = %v", err)
	}

	ctx, cancel := context.WithCancelCause(t.Context())
	cancel(errors.New("spec interrupted"))
	err = Until(ctx, time.Minute, time.Millisecond, func(context.Context) error { return notFound })
	if !errors.As(err, &te) || te.Cause == nil || !strings.Contains(err.Error(), "cut short before 1m0s (spec interrupted); last: not found") {
		t.Errorf("a wait whose context ends = %v", err)
	}

	verdict := errors.New("data loss")
	n = 0
	err = Until(t.Context(), time.Minute, time.Millisecond, func(context.Context) error { n++; return Stop(verdict) })
	if err != verdict || n != 1 {
		t.Errorf("Stop = %v after %d checks", err, n)
	}
	if err := Until(t.Context(), time.Second, 0, func(context.Context) error { return nil }); err == nil {
		t.Error("a zero interval accepted")
	}
}

// The answer a check gave before the deadline cut the next one short is
// the one reported.
func TestUntilKeepsTheLastRealAnswer(t *testing.T) {
	err := Until(t.Context(), 30*time.Millisecond, 10*time.Millisecond, func(ctx context.Context) error {
		select {
		case <-ctx.Done():
			return ctx.Err()
		default:
			return errors.New("phase Pending")
		}
	})
	if err == nil || !strings.Contains(err.Error(), "last: phase Pending") {
		t.Errorf("Until = %v", err)
	}
}
