package report

import (
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

func built(t *testing.T, r run) *Report {
	t.Helper()
	rep, err := Build(Input{Ginkgo: r.ginkgo, Environment: r.env, ArtifactsDir: r.materialise(t)})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestCompare(t *testing.T) {
	good := built(t, passingRun())
	bad := built(t, failingRun(t))
	c := Compare(good, bad, SlowerFactor, SlowerBy)
	if !c.Regressed() || !c.Run.Worse || c.Run.Old != "certified" || c.Run.New != "failed" {
		t.Errorf("certified -> failed: %+v", c.Run)
	}
	var worse []string
	for _, g := range c.Guarantees {
		if g.Worse {
			worse = append(worse, g.Name)
		}
	}
	if !strings.Contains(strings.Join(worse, ","), "RollingUpdate") || !strings.Contains(strings.Join(worse, ","), "NodeFailure") {
		t.Errorf("guarantees that got worse %v; want RollingUpdate and NodeFailure among them", worse)
	}
	back := Compare(bad, good, SlowerFactor, SlowerBy)
	if back.Regressed() {
		t.Errorf("failed -> certified is no regression:\n%s", back)
	}
	if same := Compare(good, good, SlowerFactor, SlowerBy); same.Regressed() || same.String() != "no verdict, outcome or spec time changed\n" {
		t.Errorf("a run against itself:\n%s", same)
	}

	// A spec three times slower, by more than SlowerBy, is a regression;
	// one a little slower is not.
	slow := passingRun()
	slow.ginkgo.SpecReports = append([]types.SpecReport(nil), slow.ginkgo.SpecReports...)
	for i, s := range slow.ginkgo.SpecReports {
		switch s.LeafNodeText {
		case itCreation:
			slow.ginkgo.SpecReports[i].RunTime = s.RunTime * 3
		case itRolling:
			slow.ginkgo.SpecReports[i].RunTime = s.RunTime + 2*time.Second
		}
	}
	c = Compare(good, built(t, slow), SlowerFactor, SlowerBy)
	if len(c.Slower) != 1 || c.Slower[0].Spec != dCreation+" "+itCreation || !c.Regressed() {
		t.Errorf("slower specs %+v; want only the one three times slower", c.Slower)
	}
	if !strings.Contains(c.String(), "! slower    "+dCreation) {
		t.Errorf("printed:\n%s", c)
	}
}
