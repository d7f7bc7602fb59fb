package guarantee

import (
	"fmt"
	"slices"
	"time"

	"github.com/stsconform/stsconform/framework/timeline"
)

// StatusCountersRule is what the apps/v1 API says the status counters are.
var StatusCountersRule = Rule{
	Name: "status counters",
	Doc: "\"replicas is the number of Pods created by the StatefulSet controller.\" \"readyReplicas is the number of pods created for this StatefulSet with a Ready Condition.\" " +
		"\"currentReplicas is the number of Pods created by the StatefulSet controller from the StatefulSet version indicated by currentRevision.\" " +
		"\"updatedReplicas is the number of Pods created by the StatefulSet controller from the StatefulSet version indicated by updateRevision.\" (apps/v1 StatefulSetStatus)",
}

var statusCounters = &Checker{
	Name: "status-counters", Rule: StatusCountersRule,
	Judges: "every status of the current generation counted the recorded pods (replicas, ready, current, updated) as they stood within the cache lag of its arrival, and the last one as they ended",
	input:  func() Check { return new(StatusCountersInput) },
}

// StatusCountersInput judges the StatefulSet's statuses against the pods
// recorded beside them (timeline schema 3).
type StatusCountersInput struct {
	Replicas int `json:"replicas"`
}

func (StatusCountersInput) Checker() *Checker { return statusCounters }

func (in StatusCountersInput) String() string {
	return fmt.Sprintf("status counters of %d replicas against the recorded pods", in.Replicas)
}

// counts are a status's counters, or the ones the pods give.
type counts struct {
	replicas, ready, available, current, updated int32
}

func (c counts) String() string {
	return fmt.Sprintf("replicas=%d ready=%d available=%d current=%d updated=%d", c.replicas, c.ready, c.available, c.current, c.updated)
}

func statusCounts(s timeline.SetStatus) counts {
	return counts{s.Replicas, s.ReadyReplicas, s.AvailableReplicas, s.CurrentReplicas, s.UpdatedReplicas}
}

// podSnap is what the counters depend on of one pod at one moment.
type podSnap struct {
	name, revision     string
	ordinal            int
	ready, terminating bool
	running            bool
}

// moment is the pods' state from one event until the next.
type moment struct {
	after int // the event that began it (0: before the first)
	from  time.Time
	pods  []podSnap
}

// countFor counts the pods as the controller does (computeReplicaStatus):
// every pod in the API, terminating ones included, is a replica; Running
// and Ready ones are ready (and, with minReadySeconds 0, available);
// current and updated count the pods not terminating whose revision label
// is the status's currentRevision and updateRevision.
func (m moment) countFor(s timeline.SetStatus) counts {
	var c counts
	for _, p := range m.pods {
		c.replicas++
		if p.running && p.ready {
			c.ready++
		}
		if p.terminating {
			continue
		}
		if p.revision == s.CurrentRevision {
			c.current++
		}
		if p.revision == s.UpdateRevision {
			c.updated++
		}
	}
	c.available = c.ready
	return c
}

// compared drops availableReplicas from both sides when it cannot be
// derived from the moment alone (minReadySeconds > 0: the minready
// checker judges it against the Ready times).
func compared(s timeline.SetStatus, c counts) (want, got counts) {
	want = statusCounts(s)
	if s.MinReadySeconds > 0 {
		want.available, c.available = 0, 0
	}
	return want, c
}

func moments(tl timeline.Timeline) []moment {
	r := newReplay(tl.StatefulSet)
	out := []moment{{}}
	if len(tl.Events) > 0 {
		out[0].from = tl.Events[0].ObservedAt
	}
	for _, e := range tl.Events {
		r.apply(e)
		if e.Ordinal < 0 {
			continue
		}
		m := moment{after: e.Seq, from: e.ObservedAt}
		for _, p := range r.byUID {
			if p.deleted || p.ordinal < 0 {
				continue
			}
			m.pods = append(m.pods, podSnap{name: p.name, ordinal: p.ordinal, revision: p.revision, ready: p.ready, terminating: p.terminating, running: p.phase == "Running"})
		}
		slices.SortFunc(m.pods, func(a, b podSnap) int { return a.ordinal - b.ordinal })
		out = append(out, m)
	}
	return out
}

// Judge checks every status the window saw arrive that describes the
// set's current spec (observedGeneration equal to generation; a status of
// an older generation may count pods by revisions no longer in force, and
// a deleted set's last status describes nothing).
//
// The rule, and why it cannot flake: the controller counts the pods of its
// informer cache, which lags the recorder's own watch, and the two watches
// (pods, StatefulSet) are not ordered against each other. So a status must
// equal the counters (countFor) of some moment of the recording in force
// within cacheLag (5 s, the minready checker's allowance) before or after
// the status arrived, by the recorder's clock: any view the controller
// can have held when it wrote the status. A controller that counts wrong
// (#121397) writes counters no moment near the write gives; a lagging but
// right one always matches one. The last status of the window must equal
// the counters of the window's end: the spec ends the window only once
// the recording shows the pods settled and a status written after them,
// so a controller that never catches up is caught too.
//
// availableReplicas is compared only with minReadySeconds 0, where it
// equals readyReplicas.
func (in StatusCountersInput) Judge(tl timeline.Timeline) error {
	if in.Replicas < 1 {
		return fmt.Errorf("%s: replicas must be at least 1", in)
	}
	if err := requireEvents(tl, StatusCountersRule, span(0, in.Replicas)); err != nil {
		return err
	}
	var judged []timeline.SetStatus
	for _, s := range tl.Observations() {
		if s.ObservedGeneration == s.Generation && !s.Deleted {
			judged = append(judged, s)
		}
	}
	if len(judged) == 0 {
		return lacks(tl, StatusCountersRule, "statuses of the current generation",
			fmt.Sprintf("the window holds %d statuses, none observed in it of its own generation (timeline schema %d; statuses are recorded from schema 3)", len(tl.Statuses), tl.SchemaVersion))
	}
	ms := moments(tl)
	var vs Violations
	for _, s := range judged {
		if v, ok := in.unmatched(tl, ms, s); ok {
			vs = append(vs, v)
		}
	}
	last, end := judged[len(judged)-1], ms[len(ms)-1]
	if want, got := compared(last, end.countFor(last)); want != got {
		vs = append(vs, Violation{Rule: StatusCountersRule,
			Problem:  fmt.Sprintf("the last status of the window (rv %s) reports %s, but the pods ended with %s (after #%d): the status never caught up", last.ResourceVersion, want, got, end.after),
			Evidence: append([]string{last.String()}, end.describe()...)})
	}
	return vs.err()
}

// unmatched reports a status no moment within cacheLag of its arrival
// explains.
func (in StatusCountersInput) unmatched(tl timeline.Timeline, ms []moment, s timeline.SetStatus) (Violation, bool) {
	lo, hi := s.ObservedAt.Add(-cacheLag), s.ObservedAt.Add(cacheLag)
	var arrival moment
	for i, m := range ms {
		if m.after <= s.After {
			arrival = m
		}
		if i > 0 && m.from.After(hi) {
			break
		}
		if i+1 < len(ms) && ms[i+1].from.Before(lo) {
			continue // over before the window of the write opened
		}
		if want, got := compared(s, m.countFor(s)); want == got {
			return Violation{}, false
		}
	}
	want, got := compared(s, arrival.countFor(s))
	return Violation{Rule: StatusCountersRule,
		Problem: fmt.Sprintf("status (rv %s) reports %s, but the pods gave %s when it arrived (after #%d), and no other counters within %s of it", s.ResourceVersion, want, got, s.After, cacheLag),
		Evidence: append([]string{s.String(), fmt.Sprintf("pods when it arrived (currentRevision %s, updateRevision %s):", s.CurrentRevision, s.UpdateRevision)},
			arrival.describe()...)}, true
}

func (m moment) describe() []string {
	out := make([]string, 0, len(m.pods))
	for _, p := range m.pods {
		line := fmt.Sprintf("  %s revision=%s running=%t ready=%t", p.name, p.revision, p.running, p.ready)
		if p.terminating {
			line += " terminating"
		}
		out = append(out, line)
	}
	if len(out) == 0 {
		out = append(out, "  no pods")
	}
	return out
}
