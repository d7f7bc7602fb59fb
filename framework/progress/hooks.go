package progress

import (
	"path/filepath"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
)

// Register adds the Ginkgo report nodes that record a suite's progress
// under Dir of artifacts() (called when a node runs, after flags are
// parsed). Call it once, at package level of the suite:
//
//	var _ = progress.Register(func() string { return cfg.Artifacts })
//
// A failure to record is logged to the GinkgoWriter and never fails a
// spec: progress is for people watching, not evidence.
func Register(artifacts func() string) bool {
	dir := func() string { return filepath.Join(artifacts(), Dir) }
	record := func(e Event) {
		e.Proc = ginkgo.GinkgoParallelProcess()
		if err := Append(dir(), e); err != nil {
			ginkgo.GinkgoWriter.Printf("%v\n", err)
		}
	}
	ginkgo.ReportBeforeSuite(func(r ginkgo.Report) {
		// The first process, before the setup and before any other
		// process runs a spec: what an earlier run left goes now.
		if err := Reset(dir()); err != nil {
			ginkgo.GinkgoWriter.Printf("%v\n", err)
		}
		record(Event{Kind: SuiteStarted, At: time.Now(), WillRun: r.PreRunStats.SpecsThatWillRun,
			Total: r.PreRunStats.TotalSpecs, Procs: r.SuiteConfig.ParallelTotal})
	})
	ginkgo.ReportBeforeEach(func(s ginkgo.SpecReport) {
		e := Event{Kind: SpecStarted, At: time.Now(), Spec: s.FullText(), Serial: s.IsSerial}
		if s.State.Is(types.SpecStateSkipped) {
			e.State = s.State.String()
		}
		record(e)
	})
	ginkgo.ReportAfterEach(func(s ginkgo.SpecReport) {
		record(Event{Kind: SpecEnded, At: time.Now(), Spec: s.FullText(), Serial: s.IsSerial, State: s.State.String()})
	})
	return true
}
