package suiterun

import (
	"time"

	"k8s.io/apimachinery/pkg/util/rand"
)

// runIDTime is the time part of a run ID: sortable, UTC, and a valid
// label value (the run label marks every namespace of the run).
const runIDTime = "20060102-150405"

// NewRunID names a run: its start in UTC and four random characters, so
// that two runs started in the same second differ.
func NewRunID() string {
	return time.Now().UTC().Format(runIDTime) + "-" + rand.String(4)
}
