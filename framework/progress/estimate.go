package progress

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

// SpecTime is how long a spec took in an earlier run.
type SpecTime struct {
	Seconds float64 `json:"seconds"`
	Serial  bool    `json:"serial,omitempty"`
}

// Times are an earlier run's spec times, by the spec's full text.
type Times map[string]SpecTime

// TimesFromReport reads the spec times of a Ginkgo JSON report (the
// report.json of the last run). Specs that did not run to the end say
// nothing of how long they take and are left out.
func TimesFromReport(path string) (Times, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var suites []types.Report
	if err := json.Unmarshal(data, &suites); err != nil {
		return nil, fmt.Errorf("spec times from %s: %w", path, err)
	}
	t := Times{}
	for _, r := range suites {
		for _, s := range r.SpecReports {
			if s.LeafNodeType != types.NodeTypeIt || !s.State.Is(types.SpecStatePassed|types.SpecStateFailed) || s.RunTime <= 0 {
				continue
			}
			t[s.FullText()] = SpecTime{Seconds: s.RunTime.Seconds(), Serial: s.IsSerial}
		}
	}
	return t, nil
}

// Basis names where an estimate comes from.
type Basis string

const (
	LastRun Basis = "from the last run's times"
	ThisRun Basis = "from this run's pace"
	NoBasis Basis = ""
)

// Left estimates the time the run still needs: the specs not yet started
// and what the running ones have left, parallel work shared by the
// processes and Serial specs (which Ginkgo runs one at a time, last) one
// after another. A spec's time is its time in the last run, else the mean
// of the specs that ended in this one; with neither there is no estimate.
func (s State) Left(now time.Time, last Times) (time.Duration, Basis) {
	var sum time.Duration
	n := 0
	for _, d := range s.Ended {
		if d > 0 {
			sum, n = sum+d, n+1
		}
	}
	var mean time.Duration
	if n > 0 {
		mean = sum / time.Duration(n)
	} else if len(last) > 0 {
		for _, t := range last {
			sum += seconds(t.Seconds)
		}
		mean = sum / time.Duration(len(last))
	}
	if mean == 0 {
		return 0, NoBasis
	}
	basis := ThisRun
	expect := func(spec string) (time.Duration, bool) {
		if t, ok := last[spec]; ok {
			basis = LastRun
			return seconds(t.Seconds), t.Serial
		}
		return mean, false
	}
	var parallel, serial time.Duration
	add := func(d time.Duration, isSerial bool) {
		if isSerial {
			serial += d
		} else {
			parallel += d
		}
	}
	running := map[string]bool{}
	for _, r := range s.Running {
		running[r.Spec] = true
		d, _ := expect(r.Spec)
		add(max(0, d-now.Sub(r.Since)), r.Serial)
	}
	// The specs not started yet: the last run's that have neither ended
	// nor started here, as many as remain; the rest at the mean.
	waiting := max(0, s.WillRun-s.Done()-len(s.Running))
	var known []string
	for spec := range last {
		if _, ended := s.Ended[spec]; !ended && !running[spec] && !s.notRun[spec] {
			known = append(known, spec)
		}
	}
	slices.Sort(known)
	for _, spec := range known[:min(len(known), waiting)] {
		d, isSerial := expect(spec)
		add(d, isSerial)
	}
	for range waiting - min(len(known), waiting) {
		add(mean, false)
	}
	procs := max(1, s.Procs)
	return parallel/time.Duration(procs) + serial, basis
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
