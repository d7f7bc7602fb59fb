// Package layout names where things are in the runner image: the hermetic
// build puts them there, the entrypoint and the manifests find them there.
// It has no dependencies, so that build tooling can import it.
package layout

const (
	// Entrypoint is the runner's own binary (cmd/stsconform-runner).
	Entrypoint = "/usr/local/bin/stsconform-runner"
	// Ginkgo is the Ginkgo CLI, which runs the precompiled suite in
	// parallel and prints the closing "Ginkgo ran 1 suite" line that
	// hydrophone waits for.
	Ginkgo = "/usr/local/bin/ginkgo"
	// Suite is the compiled suite (go test -c -tags e2e ./suites/statefulset).
	Suite = "/usr/local/bin/statefulset.test"
	// ResultsDir is where results go unless RESULTS_DIR says otherwise:
	// the directory of Kubernetes' conformance image, which hydrophone
	// reads.
	ResultsDir = "/tmp/results"
	// User is the uid the runner runs as (nobody), as hydrophone runs
	// the conformance image.
	User = 65534
)
