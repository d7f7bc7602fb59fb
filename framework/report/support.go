package report

import (
	"time"

	"github.com/stsconform/stsconform/framework/support"
)

// supportOf places the run's API server in the suite's support window
// (fixtures/support.yaml) on the day the run started, so that a report
// rebuilt later judges the run as of its own day.
func supportOf(env Environment, started time.Time) support.Verdict {
	w, err := support.Load()
	if err != nil {
		return support.Verdict{Status: support.Unknown, Reason: "the support window could not be read: " + err.Error()}
	}
	if started.IsZero() {
		started = time.Now()
	}
	return w.Judge(env.ServerVersion, started)
}
