//go:build e2e

// Package statefulset_test proves, on a real cluster, what Kubernetes
// documents about StatefulSets: ordered creation and teardown, stable network
// identity, stable storage, disruption budgets, node failure and rolling
// updates. Run it with `make e2e`; see README.md.
package statefulset_test

import (
	"flag"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/format"

	"github.com/stsconform/stsconform/framework/config"
)

// cfg is the run's configuration, from flags after `--` on the ginkgo
// command line (the Makefile passes them).
var cfg config.Config

func init() {
	cfg.Register(flag.CommandLine)
}

func TestStatefulSetConformance(t *testing.T) {
	RegisterFailHandler(Fail)
	registerSetup()
	// Failure messages show whole objects; truncating them hides the field
	// that explains the failure.
	format.MaxLength = 20000
	RunSpecs(t, "StatefulSet conformance")
}
