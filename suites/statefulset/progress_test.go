//go:build e2e

package statefulset_test

import "github.com/stsconform/stsconform/framework/progress"

// The run's progress, one event file per process under the artifacts
// directory, for stsconform run and the runner image to print
// (framework/progress).
var _ = progress.Register(func() string { return cfg.Artifacts })
