package guarantee

import (
	"fmt"
	"time"

	"github.com/stsconform/stsconform/framework/timeline"
)

// MaxUnavailableRule is the promise of KEP-961 (gate MaxUnavailableStatefulSet).
var MaxUnavailableRule = Rule{Name: "maximum unavailable pods", Doc: `"maxUnavailable ... controls the maximum number of Pods that can be unavailable during the update ... The count of unavailable Pods includes all Pods with ordinals between 0 and replicas - 1, not only those being updated" (StatefulSet, Maximum unavailable Pods)`}

var maxUnavailable = &Checker{
	Name: "max-unavailable", Rule: MaxUnavailableRule,
	Judges: "at no event of the window were more than maxUnavailable of the pods 0..replicas-1 unavailable (not Ready for minReadySeconds)",
	input:  func() Check { return new(MaxUnavailableInput) },
}

// MaxUnavailableInput judges a rolling update's window: after every event
// (availability is lost only by an event and gained with time, so the
// worst moments are right after events) at most MaxUnavailable of the
// ordinals 0..Replicas-1 lack a live, Ready, not terminating pod that has
// been Ready for MinReadySeconds.
type MaxUnavailableInput struct {
	Replicas        int `json:"replicas"`
	MaxUnavailable  int `json:"maxUnavailable"`
	MinReadySeconds int `json:"minReadySeconds,omitempty"`
}

func (MaxUnavailableInput) Checker() *Checker { return maxUnavailable }

func (in MaxUnavailableInput) String() string {
	return fmt.Sprintf("rolling update of %d replicas with maxUnavailable %d, minReadySeconds %d", in.Replicas, in.MaxUnavailable, in.MinReadySeconds)
}

// Unavailability is the most pods of 0..replicas-1 the window saw
// unavailable at once, and the first event after which it was so.
type Unavailability struct {
	Max int             `json:"max"`
	At  *timeline.Event `json:"at,omitempty"`
}

// MostUnavailable measures the window as MaxUnavailableInput judges it,
// for the report and for a spec proving the update went faster than one
// pod at a time.
func (in MaxUnavailableInput) MostUnavailable(tl timeline.Timeline) Unavailability {
	var out Unavailability
	in.walk(tl, func(e timeline.Event, down []int, _ *replay) {
		if len(down) > out.Max {
			out = Unavailability{Max: len(down), At: at(e)}
		}
	})
	return out
}

// Unavailable is how many of the pods 0..replicas-1 were unavailable
// right after one event of the window: the level a chart draws until the
// next event.
type Unavailable struct {
	Seq  int
	At   time.Time
	Down int
}

// Series is the unavailable count after every event of the window, as
// MaxUnavailableInput judges it: the window the report draws against the
// budget.
func (in MaxUnavailableInput) Series(tl timeline.Timeline) []Unavailable {
	var out []Unavailable
	in.walk(tl, func(e timeline.Event, down []int, _ *replay) {
		out = append(out, Unavailable{Seq: e.Seq, At: e.ObservedAt, Down: len(down)})
	})
	return out
}

func (in MaxUnavailableInput) walk(tl timeline.Timeline, visit func(e timeline.Event, down []int, r *replay)) {
	min := time.Duration(in.MinReadySeconds) * time.Second
	r := newReplay(tl.StatefulSet)
	for _, e := range tl.Events {
		r.apply(e)
		if e.Baseline {
			continue
		}
		var down []int
		for n := range in.Replicas {
			p := r.live[n]
			if p == nil || !p.ready || p.terminating || p.readiness == nil {
				down = append(down, n)
				continue
			}
			if p.readiness.At().Add(min).After(e.ObservedAt) {
				down = append(down, n)
			}
		}
		visit(e, down, r)
	}
}

func (in MaxUnavailableInput) Judge(tl timeline.Timeline) error {
	if in.Replicas < 1 || in.MaxUnavailable < 1 {
		return fmt.Errorf("%s: replicas and maxUnavailable must be at least 1", in)
	}
	if err := requireEvents(tl, MaxUnavailableRule, span(0, in.Replicas)); err != nil {
		return err
	}
	var vs Violations
	seen := 0
	in.walk(tl, func(e timeline.Event, down []int, r *replay) {
		seen++
		if len(down) > in.MaxUnavailable {
			vs = append(vs, Violation{Rule: MaxUnavailableRule, Event: at(e),
				Problem:  fmt.Sprintf("after %s %s, %d pods were unavailable (%s), more than maxUnavailable %d", e.Pod, e.Kind, len(down), names(tl.StatefulSet, down), in.MaxUnavailable),
				Evidence: stateOf(r, down)})
		}
	})
	if seen == 0 {
		return lacks(tl, MaxUnavailableRule, "events of the update", "the window holds only baseline; "+holds(tl))
	}
	return vs.err()
}
