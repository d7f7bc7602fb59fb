package selftest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/stsconform/stsconform/framework/report"
)

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadReadsFailuresAndVerdicts(t *testing.T) {
	dir := t.TempDir()
	start := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	failed := types.SpecReport{
		ContainerHierarchyTexts: []string{"StatefulSet ordered creation"}, LeafNodeText: "creates pod N+1",
		LeafNodeType: types.NodeTypeIt, LeafNodeLabels: []string{"OrderedCreation"}, State: types.SpecStateFailed,
		StartTime: start, RunTime: 40 * time.Second,
		Failure: types.Failure{Message: "the StatefulSet controller never observed a/web\nTimed out after 30.001s.",
			TimelineLocation: types.TimelineLocation{Time: start.Add(31 * time.Second)}},
	}
	passed := types.SpecReport{LeafNodeText: "passes", LeafNodeType: types.NodeTypeIt, State: types.SpecStatePassed, RunTime: time.Second}
	setup := types.SpecReport{LeafNodeType: types.NodeTypeSynchronizedBeforeSuite, State: types.SpecStatePassed}
	writeJSON(t, filepath.Join(dir, report.GinkgoReportFile), []types.Report{{SpecReports: types.SpecReports{setup, failed, passed}}})
	writeJSON(t, filepath.Join(dir, report.CertificationFile), map[string]any{
		"verdicts": []map[string]string{{"label": "OrderedCreation", "verdict": "failed"}, {"label": "Parallel", "verdict": "not verified"}},
	})

	run, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if run.Setup != "" || len(run.Specs) != 2 {
		t.Fatalf("want 2 specs and no setup failure, got %+v", run)
	}
	got := run.Specs[0]
	if got.Text != "StatefulSet ordered creation creates pod N+1" || got.State != "failed" ||
		got.FirstLine != "the StatefulSet controller never observed a/web" || got.FailedAfter != 31*time.Second {
		t.Errorf("failed spec read as %+v", got)
	}
	if run.Verdicts["OrderedCreation"] != report.Failed || run.Verdicts["Parallel"] != report.NotVerified {
		t.Errorf("verdicts read as %v", run.Verdicts)
	}
}

func TestLoadRefusesARunWithoutReports(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(dir); err == nil {
		t.Fatal("no report.json: want an error")
	}
	writeJSON(t, filepath.Join(dir, report.GinkgoReportFile), []types.Report{{}})
	if _, err := Load(dir); err == nil {
		t.Fatal("no certification.json: want an error")
	}
}
