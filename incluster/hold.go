package incluster

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// HoldInput keeps a results container alive for a collector.
type HoldInput struct {
	ResultsDir string
	// Grace is how long the results stay available once the run is done
	// (the done file exists) if no collector says it has them.
	Grace time.Duration
	Poll  time.Duration
}

// Hold returns once the results were collected (Collected exists) or the
// grace period after the run's end has passed. It lets the pod of an
// in-cluster Job finish on its own when nobody comes for the results (the
// client was killed), instead of running until the Job's deadline.
func Hold(ctx context.Context, in HoldInput) error {
	t := time.NewTicker(in.Poll)
	defer t.Stop()
	var doneAt time.Time
	for {
		if exists(filepath.Join(in.ResultsDir, Collected)) {
			return nil
		}
		if doneAt.IsZero() && exists(filepath.Join(in.ResultsDir, DoneFile)) {
			doneAt = time.Now()
		}
		if !doneAt.IsZero() && time.Since(doneAt) >= in.Grace {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return !errors.Is(err, fs.ErrNotExist)
}
