package bench

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

var t0 = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

func at(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }

func spec(kind types.NodeType, serial bool, from, to int) types.SpecReport {
	return types.SpecReport{LeafNodeType: kind, IsSerial: serial, StartTime: at(from), EndTime: at(to), State: types.SpecStatePassed}
}

func TestMeasure(t *testing.T) {
	skipped := spec(types.NodeTypeIt, true, 0, 999)
	skipped.State = types.SpecStateSkipped
	r := types.Report{RunTime: 400 * time.Second, SpecReports: types.SpecReports{
		spec(types.NodeTypeSynchronizedBeforeSuite, false, 0, 30),
		spec(types.NodeTypeIt, false, 30, 100),
		spec(types.NodeTypeIt, false, 35, 250), // the parallel phase ends with its last spec
		spec(types.NodeTypeIt, true, 250, 300),
		spec(types.NodeTypeIt, true, 300, 390),
		skipped, // a skipped spec takes no time of its phase
		// Process 2 ran out of specs at 250 and waited in its after-suite
		// part: teardown is counted from the last spec's end.
		spec(types.NodeTypeSynchronizedAfterSuite, false, 250, 398),
		spec(types.NodeTypeSynchronizedAfterSuite, false, 390, 398),
	}}
	got := Measure(r)
	want := Run{BringUp: 30 * time.Second, Parallel: 220 * time.Second, Serial: 140 * time.Second, Teardown: 8 * time.Second, Total: 400 * time.Second}
	for p, d := range want {
		if got[p] != d {
			t.Errorf("%s = %v, want %v", p, got[p], d)
		}
	}
	if len(got) != len(want) {
		t.Errorf("phases %v, want %v", got, want)
	}
}

func TestMeasureWithoutSerialSpecs(t *testing.T) {
	got := Measure(types.Report{SpecReports: types.SpecReports{spec(types.NodeTypeIt, false, 0, 10)}})
	if _, ok := got[Serial]; ok {
		t.Errorf("a run with no Serial spec has no serial phase: %v", got)
	}
	if _, ok := got[Total]; ok {
		t.Errorf("no run time recorded, no total: %v", got)
	}
}

func TestSummarize(t *testing.T) {
	runs := []Run{
		{Parallel: 300 * time.Second, Serial: 100 * time.Second},
		{Parallel: 200 * time.Second},
		{Parallel: 250 * time.Second, Serial: 120 * time.Second},
	}
	got := Summarize(runs)
	if len(got) != 2 {
		t.Fatalf("got %d phases, want 2: %+v", len(got), got)
	}
	if p := got[0]; p.Phase != Parallel || p.Runs != 3 || p.Median != 250*time.Second || p.Min != 200*time.Second || p.Max != 300*time.Second {
		t.Errorf("parallel: %+v", p)
	}
	// Two runs had a serial phase: the median is the mean of the two.
	if s := got[1]; s.Phase != Serial || s.Runs != 2 || s.Median != 110*time.Second {
		t.Errorf("serial: %+v", s)
	}
}

func TestReadRun(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadRun(dir); err == nil {
		t.Error("no report.json: want an error")
	}
	write := func(v any) {
		b, _ := json.Marshal(v)
		if err := os.WriteFile(filepath.Join(dir, "report.json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write([]types.Report{{}, {}})
	if _, err := ReadRun(dir); err == nil {
		t.Error("two suites: want an error")
	}
	write([]types.Report{{RunTime: time.Minute}})
	r, err := ReadRun(dir)
	if err != nil || r[Total] != time.Minute {
		t.Errorf("ReadRun = %v, %v", r, err)
	}
}

func TestWrite(t *testing.T) {
	var b strings.Builder
	if err := Write(&b, []Summary{{Phase: Serial, Runs: 3, Median: 101400 * time.Millisecond, Min: 95 * time.Second, Max: 2 * time.Minute}}); err != nil {
		t.Fatal(err)
	}
	if want := "| serial specs | 3 | 1m41s | 1m35s–2m0s |\n"; !strings.HasSuffix(b.String(), want) {
		t.Errorf("got\n%s\nwant it to end with\n%s", b.String(), want)
	}
}
