package guarantee

import (
	"slices"
	"time"

	"github.com/stsconform/stsconform/framework/timeline"
)

// The functions in this file describe behaviour the documentation leaves
// open (the Parallel policy, cascading deletion of a StatefulSet). They
// return data for the report, never an error.

// Step is one event reduced to what an ordering report needs.
type Step struct {
	Seq             int       `json:"seq"`
	Pod             string    `json:"pod"`
	Ordinal         int       `json:"ordinal"`
	UID             string    `json:"uid"`
	ResourceVersion string    `json:"resourceVersion"`
	ObservedAt      time.Time `json:"observedAt"`
}

func stepOf(e timeline.Event) Step {
	return Step{Seq: e.Seq, Pod: e.Pod, Ordinal: e.Ordinal, UID: e.UID, ResourceVersion: e.ResourceVersion, ObservedAt: e.ObservedAt}
}

// ConcurrencyObservation is how much the controller did at once.
type ConcurrencyObservation struct {
	// MaxNotReady is the most pods that were live, not terminating and not
	// Ready at the same time. OrderedReady scale-up keeps it at 1; Parallel
	// lets it reach the number of pods added.
	MaxNotReady     int      `json:"maxNotReady"`
	MaxNotReadyAt   int      `json:"maxNotReadyAt,omitempty"` // Seq where first reached
	MaxNotReadyPods []string `json:"maxNotReadyPods,omitempty"`
	// MaxTerminating is the most pods that were terminating but not yet
	// Deleted at the same time.
	MaxTerminating     int      `json:"maxTerminating"`
	MaxTerminatingAt   int      `json:"maxTerminatingAt,omitempty"`
	MaxTerminatingPods []string `json:"maxTerminatingPods,omitempty"`
	// Creations and Terminations are the observed (non-baseline) starts of
	// each, in Seq order.
	Creations    []Step `json:"creations"`
	Terminations []Step `json:"terminations"`
}

// Concurrency replays tl and reports the peaks of pods pending readiness and
// pods terminating, with the order of creations and terminations.
func Concurrency(tl timeline.Timeline) ConcurrencyObservation {
	r := newReplay(tl.StatefulSet)
	obs := ConcurrencyObservation{Creations: []Step{}, Terminations: []Step{}}
	for _, e := range tl.Events {
		if e.Ordinal < 0 {
			continue
		}
		if !e.Baseline {
			if e.Kind == timeline.Created {
				obs.Creations = append(obs.Creations, stepOf(e))
			}
			if r.startsTermination(e) {
				obs.Terminations = append(obs.Terminations, stepOf(e))
			}
		}
		r.apply(e)
		notReady := r.livePods(func(p *pod) bool { return !p.terminating && !p.ready })
		if len(notReady) > obs.MaxNotReady {
			obs.MaxNotReady, obs.MaxNotReadyAt, obs.MaxNotReadyPods = len(notReady), e.Seq, notReady
		}
		terminating := r.livePods(func(p *pod) bool { return p.terminating })
		if len(terminating) > obs.MaxTerminating {
			obs.MaxTerminating, obs.MaxTerminatingAt, obs.MaxTerminatingPods = len(terminating), e.Seq, terminating
		}
	}
	return obs
}

func (r *replay) livePods(match func(*pod) bool) []string {
	var out []string
	for _, p := range r.live {
		if match(p) {
			out = append(out, p.name)
		}
	}
	slices.Sort(out)
	return out
}

// TerminationObservation is the order in which pods began terminating, e.g.
// when the StatefulSet itself is deleted and garbage collection removes the
// pods, for which no order is guaranteed.
type TerminationObservation struct {
	Order []Step `json:"order"`
	// Descending is true when every termination had a lower ordinal than the
	// one before it.
	Descending bool `json:"descending"`
	// MaxConcurrent is the most pods terminating but not yet Deleted at once.
	MaxConcurrent int `json:"maxConcurrent"`
}

// TerminationOrder reports the observed terminations of tl.
func TerminationOrder(tl timeline.Timeline) TerminationObservation {
	c := Concurrency(tl)
	obs := TerminationObservation{Order: c.Terminations, Descending: true, MaxConcurrent: c.MaxTerminating}
	for i := 1; i < len(obs.Order); i++ {
		if obs.Order[i].Ordinal >= obs.Order[i-1].Ordinal {
			obs.Descending = false
		}
	}
	return obs
}
