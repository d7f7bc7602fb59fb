//go:build e2e

package statefulset_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
)

// guaranteeLabels name the guarantees a spec proves; the certification
// report groups specs by them.
var guaranteeLabels = []string{
	"OrderedCreation", "OrderedTeardown", "NetworkIdentity", "Storage", "PDB",
	"NodeFailure", "RollingUpdate", "Parallel", "Ensemble", "Cluster",
}

type specResult struct {
	Spec         string            `json:"spec"`
	State        string            `json:"state"`
	Duration     string            `json:"duration"`
	Seconds      float64           `json:"seconds"`
	Failure      string            `json:"failure,omitempty"`
	SkipReason   string            `json:"skipReason,omitempty"`
	Timelines    []string          `json:"timelines,omitempty"`
	Observations map[string]string `json:"observations,omitempty"`
}

type certification struct {
	Suite          string                  `json:"suite"`
	Started        time.Time               `json:"started"`
	Duration       string                  `json:"duration"`
	ServerVersion  string                  `json:"serverVersion"`
	ClusterCreated string                  `json:"clusterCreated,omitempty"`
	Settings       map[string]string       `json:"settings"`
	Guarantees     map[string][]specResult `json:"guarantees"`
	Passed         int                     `json:"passed"`
	Failed         int                     `json:"failed"`
	Skipped        int                     `json:"skipped"`
}

// The certification report: one entry per guarantee with each spec's
// outcome, evidence files and observations, for auditors; written next to
// Ginkgo's JUnit and JSON reports.
var _ = ReportAfterSuite("certification report", func(r Report) {
	cert := certification{
		Suite: r.SuiteDescription, Started: r.StartTime, Duration: r.RunTime.Round(time.Second).String(),
		ServerVersion: shared.ServerVersion, Guarantees: map[string][]specResult{},
		Settings: map[string]string{
			"node-monitor-grace-period": "20s in kind-config.yaml (default 50s) when the suite creates the cluster",
			"run-id":                    shared.RunID,
		},
	}
	if shared.CreateDuration > 0 {
		cert.ClusterCreated = shared.CreateDuration.Round(time.Second).String()
	}
	for _, s := range r.SpecReports {
		if s.LeafNodeType != types.NodeTypeIt {
			continue
		}
		res := specResult{Spec: s.FullText(), State: s.State.String(), Duration: s.RunTime.Round(100 * time.Millisecond).String(), Seconds: s.RunTime.Seconds()}
		switch {
		case s.State.Is(types.SpecStatePassed):
			cert.Passed++
		case s.State.Is(types.SpecStateSkipped):
			cert.Skipped++
			res.SkipReason = s.Failure.Message
			if res.SkipReason == "" {
				res.SkipReason = "not selected (label filter or interrupted run)"
			}
		case s.State.Is(types.SpecStateFailureStates):
			cert.Failed++
			res.Failure = s.Failure.Message
		}
		for _, e := range s.ReportEntries {
			switch {
			case e.Name == "timeline":
				res.Timelines = append(res.Timelines, e.StringRepresentation())
			case strings.HasPrefix(e.Name, "observation"):
				if res.Observations == nil {
					res.Observations = map[string]string{}
				}
				res.Observations[e.Name] = e.StringRepresentation()
			}
		}
		g := "Other"
		for _, l := range guaranteeLabels {
			if containsLabel(s.Labels(), l) {
				g = l
				break
			}
		}
		cert.Guarantees[g] = append(cert.Guarantees[g], res)
	}
	if err := os.MkdirAll(cfg.Artifacts, 0o755); err == nil {
		b, _ := json.MarshalIndent(cert, "", "  ")
		_ = os.WriteFile(filepath.Join(cfg.Artifacts, "certification.json"), b, 0o644)
	}
	fmt.Print(summaryTable(cert))
})

func containsLabel(labels []string, l string) bool {
	for _, x := range labels {
		if x == l {
			return true
		}
	}
	return false
}

func summaryTable(c certification) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\nStatefulSet conformance on %s: %d passed, %d failed, %d skipped in %s\n", c.ServerVersion, c.Passed, c.Failed, c.Skipped, c.Duration)
	names := make([]string, 0, len(c.Guarantees))
	for g := range c.Guarantees {
		names = append(names, g)
	}
	sort.Strings(names)
	for _, g := range names {
		for _, s := range c.Guarantees[g] {
			fmt.Fprintf(&b, "  %-16s %-8s %8s  %s\n", g, s.State, s.Duration, s.Spec)
			if s.SkipReason != "" {
				fmt.Fprintf(&b, "  %-16s          reason: %s\n", "", s.SkipReason)
			}
		}
	}
	fmt.Fprintf(&b, "Settings: node-monitor-grace-period %s\n", c.Settings["node-monitor-grace-period"])
	fmt.Fprintf(&b, "Report: %s\n", filepath.Join(cfg.Artifacts, "certification.json"))
	return b.String()
}
