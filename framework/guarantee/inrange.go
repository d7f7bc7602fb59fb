package guarantee

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/stsconform/stsconform/framework/timeline"
)

// countFields count pods (replicas before or after a change): a checker
// spans 0..count, so an unbounded count (verify --to 1000000000) would
// cost memory in proportion to the number instead of the file.
var countFields = []string{"from", "to", "replicas"}

// ordinalFields name an ordinal: at most the highest one recorded.
var ordinalFields = []string{"start", "first"}

// seqFields name the seq a note follows: at most the recording's last.
var seqFields = []string{"release", "observed", "open", "close"}

// RangeError is an input field outside what the recording it judges can
// hold, refused before judging.
type RangeError struct {
	Checker string
	// Field is the input's JSON name of the field.
	Field string
	Value int
	Max   int
	// Why says where Max comes from.
	Why string
	// Lacks is set for a pod count beyond the recording's pods: evidence
	// it lacks, as the checker would say.
	Lacks *EvidenceError
}

func (e *RangeError) Error() string {
	if e.Lacks != nil {
		return e.Lacks.Error()
	}
	if e.Value < 0 {
		return fmt.Sprintf("%s's %s is %d: it cannot be negative", e.Checker, e.Field, e.Value)
	}
	return fmt.Sprintf("%s's %s %d is beyond %d: %s", e.Checker, e.Field, e.Value, e.Max, e.Why)
}

func (e *RangeError) Unwrap() error {
	if e.Lacks == nil {
		return nil
	}
	return e.Lacks
}

// InRange refuses an input whose integer fields the recording cannot
// bear, before a checker spans them: none negative; a pod count beyond
// the highest ordinal recorded is evidence the recording lacks (the
// *EvidenceError its checker would give, without listing each missing
// pod); ordinals at most the highest, seqs at most the last. The error
// is a *RangeError naming the field. Other integer fields (durations, counts of deletions)
// only must not be negative: no checker allocates by them.
func InRange(whole timeline.Timeline, c Check) error {
	highest, pods := -1, "it holds no pod"
	for _, e := range whole.Events {
		if e.Ordinal > highest {
			highest = e.Ordinal
			pods = fmt.Sprintf("its highest ordinal is %d (pod %s)", e.Ordinal, e.Pod)
		}
	}
	last := whole.LastSeq()
	v := reflect.ValueOf(c)
	for v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	t := v.Type()
	for i := range t.NumField() {
		if t.Field(i).Type.Kind() != reflect.Int {
			continue
		}
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		n := int(v.Field(i).Int())
		err := &RangeError{Checker: c.Checker().Name, Field: name, Value: n, Max: n}
		switch {
		case slices.Contains(countFields, name) && n > highest+1:
			set := whole.StatefulSet
			missing := fmt.Sprintf("%s-%d", set, n-1)
			if n-1 > highest+1 {
				missing = fmt.Sprintf("%s-%d..%s-%d", set, highest+1, set, n-1)
			}
			err.Lacks = lacks(whole, c.Checker().Rule, "pods "+missing, "the timeline holds 0 events for them; "+holds(whole))
			return err
		case name == "partition":
			// Beyond the pods it keeps them all, as their count does.
			err.Max, err.Why = highest+1, "a partition beyond the pods recorded keeps them all, as their count does; "+pods
		case slices.Contains(ordinalFields, name):
			err.Max, err.Why = max(highest, 0), "an ordinal of "+whole.StatefulSet+" the recording holds; "+pods
		case slices.Contains(seqFields, name):
			err.Max, err.Why = last, fmt.Sprintf("a seq of the recording, whose last event is #%d", last)
		}
		if n < 0 || n > err.Max {
			return err
		}
	}
	return nil
}
