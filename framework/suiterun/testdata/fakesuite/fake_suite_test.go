// Package fakesuite_test stands in for the suite where no cluster is: it
// takes the suite's flags (framework/config), reports like it (the
// certification report after the suite, environment.json, progress) and has
// a spec of every outcome, so that stsconform run, rerun and the progress
// lines can be tested in seconds. Not a conformance suite: nothing here
// touches a cluster.
//
// STSCONFORM_FAKE_STATE names a directory where "fails only the first
// time" leaves a mark (unset: it fails every time); STSCONFORM_FAKE_PAUSE (a duration) is how long each
// passing spec takes.
package fakesuite_test

import (
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/stsconform/stsconform/framework/config"
	"github.com/stsconform/stsconform/framework/progress"
	"github.com/stsconform/stsconform/framework/report"
)

var cfg config.Config

func init() { cfg.Register(flag.CommandLine) }

var _ = progress.Register(func() string { return cfg.Artifacts })

func TestFakeSuite(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "stsconform fake suite")
}

// pause stands for a spec's work. A fake spec may sleep: it has nothing to
// wait for.
func pause() {
	if d, err := time.ParseDuration(os.Getenv("STSCONFORM_FAKE_PAUSE")); err == nil {
		time.Sleep(d)
	}
}

var _ = SynchronizedBeforeSuite(func() []byte {
	Expect(os.MkdirAll(cfg.Artifacts, 0o755)).To(Succeed())
	env := report.Environment{ServerVersion: "v0.0.0-fake", RunID: cfg.RunID, CommandLine: os.Args}
	Expect(env.WriteFile(filepath.Join(cfg.Artifacts, report.EnvironmentFile))).To(Succeed())
	return nil
}, func([]byte) {})

var _ = Describe("fake ordered creation", Label("OrderedCreation"), func() {
	It("passes", func() { pause() })
	It("passes again", func() { pause() })
	It("passes serially", Serial, func() { pause() })
})

var _ = Describe("fake storage", Label("Storage"), func() {
	It("fails", func() {
		pause()
		Fail("fake failure: the claim never bound")
	})
	It("fails only the first time", func() {
		pause()
		state := os.Getenv("STSCONFORM_FAKE_STATE")
		mark := filepath.Join(state, "failed-once")
		dir := filepath.Join(cfg.Artifacts, "diagnostics", "fails-only-the-first-time")
		Expect(os.MkdirAll(dir, 0o755)).To(Succeed())
		AddReportEntry(report.EntryDiagnostics, dir)
		_, err := os.Stat(mark)
		if state == "" || errors.Is(err, fs.ErrNotExist) {
			if state != "" {
				Expect(os.WriteFile(mark, nil, 0o644)).To(Succeed())
			}
			Expect(os.WriteFile(filepath.Join(dir, "attempt"), []byte("first\n"), 0o644)).To(Succeed())
			Fail("fake failure: first attempt")
		}
		Expect(os.WriteFile(filepath.Join(dir, "attempt"), []byte("again\n"), 0o644)).To(Succeed())
	})
})

var _ = Describe("fake network identity", Label("NetworkIdentity"), func() {
	It("skips itself", func() { Skip("fake reason: needs 4 schedulable nodes") })
})

var _ = ReportAfterSuite("certification report", func(r Report) {
	Expect(os.MkdirAll(cfg.Artifacts, 0o755)).To(Succeed())
	env, _ := report.ReadEnvironment(filepath.Join(cfg.Artifacts, report.EnvironmentFile))
	rep, err := report.Build(report.Input{Ginkgo: r, Environment: env, ArtifactsDir: cfg.Artifacts})
	Expect(err).NotTo(HaveOccurred())
	Expect(rep.Write(cfg.Artifacts)).To(Succeed())
})
