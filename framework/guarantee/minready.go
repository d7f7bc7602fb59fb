package guarantee

import (
	"fmt"
	"time"

	"github.com/stsconform/stsconform/framework/timeline"
)

// MinReadyRule is the promise of KEP-2599, GA since v1.25.
var MinReadyRule = Rule{Name: "minimum ready seconds", Doc: `"minReadySeconds ... specifies the minimum number of seconds for which a newly created Pod should be running and ready without any of its containers crashing, for it to be considered available" (StatefulSet, Minimum ready seconds)`}

var availableAfterMinReady = &Checker{
	Name: "available-after-min-ready", Rule: MinReadyRule,
	Judges: "no status counted a pod available before it had been Ready for minReadySeconds, every pod was counted in the end, and (OrderedReady) each pod was created only after its predecessor was available",
	input:  func() Check { return new(AvailableInput) },
}

// cacheLag is how long the controller may still count a pod whose
// readiness the recorder has already seen end: its informer lags the
// recorder's watch, and the statuses it writes from the older view arrive
// afterwards. It widens only the end of a Ready interval, never its start,
// which is what minReadySeconds is about.
const cacheLag = 5 * time.Second

// AvailableInput judges the window of a set with minReadySeconds: every
// status the window saw (each statefulset MODIFIED event) counts in
// availableReplicas no pod that had not been Ready for MinReadySeconds when
// the status arrived, the last status counts all Replicas, and, for
// OrderedReady, pod n+1 was created no earlier than MinReadySeconds after
// pod n became Ready (the API's timestamps, both in whole seconds).
type AvailableInput struct {
	MinReadySeconds int  `json:"minReadySeconds"`
	Replicas        int  `json:"replicas"`
	OrderedReady    bool `json:"orderedReady,omitempty"`
}

func (AvailableInput) Checker() *Checker { return availableAfterMinReady }

func (in AvailableInput) String() string {
	policy := "Parallel"
	if in.OrderedReady {
		policy = "OrderedReady"
	}
	return fmt.Sprintf("availableReplicas of %d replicas with minReadySeconds %d (%s)", in.Replicas, in.MinReadySeconds, policy)
}

// readySpan is one Ready interval of one pod incarnation.
type readySpan struct {
	ready timeline.Event
	end   *timeline.Event // Unready, Terminating or Deleted; nil while Ready
}

// since is when the pod became Ready: the condition's lastTransitionTime,
// or the recorder's clock when the API gave none.
func (s readySpan) since() time.Time { return s.ready.At() }

func readySpans(tl timeline.Timeline) []readySpan {
	var out []readySpan
	open := map[string]int{} // uid -> index of its open span
	for _, e := range tl.Events {
		switch e.Kind {
		case timeline.Ready:
			open[e.UID] = len(out)
			out = append(out, readySpan{ready: e})
		case timeline.Unready, timeline.Terminating, timeline.Deleted:
			if i, ok := open[e.UID]; ok {
				out[i].end = at(e)
				delete(open, e.UID)
			}
		}
	}
	return out
}

func (in AvailableInput) Judge(tl timeline.Timeline) error {
	if in.Replicas < 1 || in.MinReadySeconds < 0 {
		return fmt.Errorf("%s: replicas must be at least 1 and minReadySeconds not negative", in)
	}
	if err := requireEvents(tl, MinReadyRule, span(0, in.Replicas)); err != nil {
		return err
	}
	observed := tl.Observations()
	if len(observed) == 0 {
		return lacks(tl, MinReadyRule, "the StatefulSet's status updates",
			fmt.Sprintf("the window holds %d statuses, none observed in it (timeline schema %d; statuses are recorded from schema 3)", len(tl.Statuses), tl.SchemaVersion))
	}
	min := time.Duration(in.MinReadySeconds) * time.Second
	spans := readySpans(tl)
	var vs Violations
	for _, s := range observed {
		var counted, early []string
		for _, sp := range spans {
			if sp.end != nil && sp.end.ObservedAt.Add(cacheLag).Before(s.ObservedAt) {
				continue
			}
			if sp.ready.Seq > s.After && sp.ready.ObservedAt.After(s.ObservedAt.Add(cacheLag)) {
				continue
			}
			line := fmt.Sprintf("%s Ready since %s (%s before the status)", sp.ready.Pod, sp.since().UTC().Format("15:04:05"), s.ObservedAt.Sub(sp.since()).Round(time.Second))
			if !sp.since().Add(min).After(s.ObservedAt) {
				counted = append(counted, line)
			} else {
				early = append(early, line)
			}
		}
		if int(s.AvailableReplicas) > len(counted) {
			vs = append(vs, Violation{Rule: MinReadyRule,
				Problem:  fmt.Sprintf("status (rv %s) reports availableReplicas=%d, but only %d pod(s) had been Ready for %ds when it arrived", s.ResourceVersion, s.AvailableReplicas, len(counted), in.MinReadySeconds),
				Evidence: append(append([]string{s.String(), fmt.Sprintf("available (%d):", len(counted))}, counted...), append([]string{fmt.Sprintf("Ready for less than %ds (%d):", in.MinReadySeconds, len(early))}, early...)...)})
		}
	}
	last := observed[len(observed)-1]
	if int(last.AvailableReplicas) != in.Replicas || !last.Observed() {
		vs = append(vs, Violation{Rule: MinReadyRule,
			Problem:  fmt.Sprintf("the last status of the window reports availableReplicas=%d of %d replicas (generation %d observed %d): the pods Ready for %ds were never all counted", last.AvailableReplicas, in.Replicas, last.Generation, last.ObservedGeneration, in.MinReadySeconds),
			Evidence: []string{last.String()}})
	}
	if in.OrderedReady {
		vs = append(vs, in.creationWaits(tl, spans)...)
	}
	return vs.err()
}

// creationWaits finds pods created before their predecessor had been Ready
// for minReadySeconds. Both times are the API server's, truncated to the
// second: a creation at C after a readiness at R plus minReadySeconds (the
// controller's strict comparison) always has C >= R + minReadySeconds.
func (in AvailableInput) creationWaits(tl timeline.Timeline, spans []readySpan) Violations {
	min := time.Duration(in.MinReadySeconds) * time.Second
	var vs Violations
	for _, c := range tl.Kinds(timeline.Created).Events {
		if c.Baseline || c.Ordinal < 1 || c.Ordinal >= in.Replicas {
			continue
		}
		var latest *readySpan
		for i := range spans {
			sp := spans[i]
			if sp.ready.Ordinal == c.Ordinal-1 && sp.ready.Seq < c.Seq {
				latest = &spans[i]
			}
		}
		if latest == nil || (latest.end != nil && latest.end.Seq < c.Seq) {
			continue // the ordered creation checker judges a missing predecessor
		}
		if !c.ObjectTime.IsZero() && c.ObjectTime.Before(latest.since().Add(min)) {
			vs = append(vs, Violation{Rule: MinReadyRule, Event: at(c),
				Problem:  fmt.Sprintf("%s was created at %s, %s after %s became Ready, before it had been Ready for %ds", c.Pod, c.ObjectTime.UTC().Format("15:04:05"), c.ObjectTime.Sub(latest.since()), latest.ready.Pod, in.MinReadySeconds),
				Evidence: []string{"predecessor " + latest.ready.String()}})
		}
	}
	return vs
}
