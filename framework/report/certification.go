package report

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stsconform/stsconform/framework/support"
)

// certificationSchema 2 adds the verdicts, environment, timelines and
// manifest to the fields the suite's first certification.json had, which
// keep their names and meaning.
const certificationSchema = 2

type certification struct {
	SchemaVersion int `json:"schemaVersion"`

	Suite          string                `json:"suite"`
	Started        time.Time             `json:"started"`
	Duration       string                `json:"duration"`
	ServerVersion  string                `json:"serverVersion"`
	ClusterCreated string                `json:"clusterCreated,omitempty"`
	Settings       map[string]string     `json:"settings"`
	Guarantees     map[string][]specJSON `json:"guarantees"`
	Passed         int                   `json:"passed"`
	Failed         int                   `json:"failed"`
	Skipped        int                   `json:"skipped"`

	Verdict     Verdict       `json:"verdict"`
	Reasons     []string      `json:"reasons"`
	Verdicts    []verdictJSON `json:"verdicts"`
	Run         runJSON       `json:"run"`
	Environment Environment   `json:"environment"`
	// Support is the API server's place in the suite's support window.
	Support   support.Verdict `json:"support"`
	Problems  []string        `json:"problems,omitempty"`
	Timelines []*evidence     `json:"timelines"`
	Manifest  []manifestEntry `json:"manifest"`
	// Rerun is the history of a certification merged from re-runs.
	Rerun *Rerun `json:"rerun,omitempty"`
}

// specJSON is the first schema's spec result plus the outcome the verdict
// used and the diagnostics directory.
type specJSON struct {
	Spec         string            `json:"spec"`
	State        string            `json:"state"`
	Duration     string            `json:"duration"`
	Seconds      float64           `json:"seconds"`
	Failure      string            `json:"failure,omitempty"`
	SkipReason   string            `json:"skipReason,omitempty"`
	Timelines    []string          `json:"timelines,omitempty"`
	Observations map[string]string `json:"observations,omitempty"`
	Outcome      outcome           `json:"outcome"`
	Diagnostics  []string          `json:"diagnostics,omitempty"`
}

type verdictJSON struct {
	Guarantee
	Verdict Verdict  `json:"verdict"`
	Reason  string   `json:"reason"`
	Specs   []string `json:"specs"`
}

type runJSON struct {
	SuiteVersion string   `json:"suiteVersion,omitempty"`
	SuiteCommit  string   `json:"suiteCommit,omitempty"`
	CommandLine  []string `json:"commandLine,omitempty"`
	LabelFilter  string   `json:"labelFilter"`
	Focus        []string `json:"focus,omitempty"`
	Skip         []string `json:"skip,omitempty"`
	RandomSeed   int64    `json:"randomSeed"`
	Processes    int      `json:"processes"`
	Seconds      float64  `json:"seconds"`
}

func (r *Report) certification() ([]byte, error) {
	c := certification{
		SchemaVersion: certificationSchema,
		Suite:         r.suite,
		Started:       r.started,
		Duration:      r.duration.Round(time.Second).String(),
		ServerVersion: r.env.ServerVersion,
		Settings:      map[string]string{},
		Guarantees:    map[string][]specJSON{},
		Passed:        r.counts.Passed,
		Failed:        r.counts.Failed,
		Skipped:       r.counts.Skipped,
		Verdict:       r.verdict,
		Reasons:       r.reasons,
		Run: runJSON{
			SuiteVersion: r.env.SuiteVersion, SuiteCommit: r.env.SuiteCommit, CommandLine: r.env.CommandLine,
			LabelFilter: r.labelFilter, Focus: r.config.FocusStrings, Skip: r.config.SkipStrings,
			RandomSeed: r.config.RandomSeed, Processes: r.config.ParallelTotal, Seconds: r.duration.Seconds(),
		},
		Environment: r.env,
		Support:     r.support,
		Problems:    r.problems,
		Timelines:   []*evidence{},
		Manifest:    r.manifest,
		Rerun:       r.rerun,
	}
	if r.env.Cluster.Created && r.env.Cluster.CreateDuration > 0 {
		c.ClusterCreated = r.env.Cluster.CreateDuration.Round(time.Second).String()
	}
	for _, s := range r.env.ControllerSettings {
		c.Settings[s.Name] = s.String()
	}
	if r.env.RunID != "" {
		c.Settings["run-id"] = r.env.RunID
	}
	for _, g := range r.guarantees {
		row := verdictJSON{Guarantee: g.Guarantee, Verdict: g.Verdict, Reason: g.Reason, Specs: []string{}}
		for _, s := range g.Specs {
			row.Specs = append(row.Specs, s.Text)
			c.Guarantees[g.Label] = append(c.Guarantees[g.Label], s.json())
		}
		c.Verdicts = append(c.Verdicts, row)
		for _, ev := range g.Timelines {
			if !slices.Contains(c.Timelines, ev) {
				c.Timelines = append(c.Timelines, ev)
			}
		}
	}
	for _, s := range r.other {
		c.Guarantees["Other"] = append(c.Guarantees["Other"], s.json())
	}
	c.Timelines = append(c.Timelines, r.orphans...)
	slices.SortFunc(c.Timelines, func(a, b *evidence) int { return strings.Compare(a.Path, b.Path) })
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding %s: %w", CertificationFile, err)
	}
	return append(data, '\n'), nil
}

func (s *specResult) json() specJSON {
	out := specJSON{
		Spec: s.Text, State: s.State, Duration: s.Duration.Round(100 * time.Millisecond).String(), Seconds: s.Duration.Seconds(),
		Timelines: s.Timelines, Outcome: s.Outcome, Diagnostics: s.Diagnostics,
	}
	switch s.State {
	case "skipped", "pending":
		out.SkipReason = s.Reason
	default:
		out.Failure = s.Reason
	}
	for _, o := range s.Observations {
		if out.Observations == nil {
			out.Observations = map[string]string{}
		}
		out.Observations[o.Name] = o.Value
	}
	return out
}
