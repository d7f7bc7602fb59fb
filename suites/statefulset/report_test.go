//go:build e2e

package statefulset_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"k8s.io/client-go/kubernetes"

	"github.com/stsconform/stsconform/framework/buildinfo"
	"github.com/stsconform/stsconform/framework/cluster"
	"github.com/stsconform/stsconform/framework/clusterinfo"
	"github.com/stsconform/stsconform/framework/report"
)

// reportEnv is the environment of the run for the certification report.
// The first process collects it in the setup and builds the report after
// the suite (ReportAfterSuite runs there), so it never crosses processes.
var reportEnv report.Environment

// environmentReadTimeout bounds reading the cluster's environment: a few
// List calls; a slow answer leaves parts unknown rather than holding up
// the run.
const environmentReadTimeout = 30 * time.Second

// identify adds what the suite knows about itself: the build, the command
// line of this process and the run ID. The label filter, focus and
// duration come from Ginkgo's own report.
func identify(env report.Environment, runID string) report.Environment {
	env.SuiteVersion, env.SuiteCommit = buildinfo.Read()
	env.CommandLine = append([]string(nil), os.Args...)
	env.RunID = runID
	return env
}

// saveEnvironment records env for the report and writes it to the
// artifacts as environment.json, for `stsconform report` to rebuild the
// report from a downloaded run. A write error is logged, not fatal: the
// rebuilt report then says the environment is missing.
func saveEnvironment(env report.Environment) {
	reportEnv = env
	p := filepath.Join(cfg.Artifacts, report.EnvironmentFile)
	if err := env.WriteFile(p); err != nil {
		GinkgoWriter.Printf("environment not saved: %v\n", err)
	}
}

// collectEnvironment reads the cluster's environment once it is ready (run
// on the first process). What cannot be read stays unknown with the reason;
// it never fails the setup.
func collectEnvironment(ctx context.Context, cl *cluster.Cluster, client kubernetes.Interface, runID string) {
	By("reading the cluster's environment for the certification report")
	rctx, cancel := context.WithTimeout(ctx, environmentReadTimeout)
	defer cancel()
	env, err := clusterinfo.Read(rctx, clusterinfo.Input{Client: client, Origin: cl.Origin(rctx)})
	if err != nil {
		GinkgoWriter.Printf("environment incomplete (the report shows those parts as unknown): %v\n", err)
	}
	saveEnvironment(identify(env, runID))
}

// The certification report: a verdict per documented guarantee with its
// evidence, the environment and a manifest of the artifacts, written as
// report.html, report.md and certification.json (framework/report). Ginkgo
// writes report.json and junit.xml only after this node; `make e2e`
// re-renders the report with `stsconform report` afterwards so that the
// manifest lists them too.
var _ = ReportAfterSuite("certification report", func(r Report) {
	env := reportEnv
	if env.CommandLine == nil {
		// The setup never got as far as identifying the run.
		env = identify(env, shared.RunID)
	}
	// The setup may have failed before making the directory.
	Expect(os.MkdirAll(cfg.Artifacts, 0o755)).To(Succeed(), "the artifacts directory")
	rep, err := report.Build(report.Input{Ginkgo: r, Environment: env, ArtifactsDir: cfg.Artifacts})
	Expect(err).NotTo(HaveOccurred(), "building the certification report")
	werr := rep.Write(cfg.Artifacts)
	fmt.Print("\n" + rep.Summary())
	fmt.Printf("Report: %s (and %s, %s)\n", filepath.Join(cfg.Artifacts, report.HTMLFile), report.MarkdownFile, report.CertificationFile)
	Expect(werr).NotTo(HaveOccurred(), "writing the certification report into %s", cfg.Artifacts)
})
