package timeline

import "testing"

// Since keeps the statuses of the window led by the last earlier one as
// baseline; Through drops those that arrived later.
func TestStatusesSinceAndThrough(t *testing.T) {
	tl := Timeline{Statuses: []SetStatus{{After: 0, ResourceVersion: "1"}, {After: 2, ResourceVersion: "2"}, {After: 5, ResourceVersion: "3"}, {After: 7, ResourceVersion: "4"}}}
	cut := tl.Since(4)
	if len(cut.Statuses) != 3 || !cut.Statuses[0].Baseline || cut.Statuses[0].ResourceVersion != "2" || cut.Statuses[1].Baseline {
		t.Errorf("Since(4) = %v", cut.Statuses)
	}
	if got := cut.Observations(); len(got) != 2 || got[0].ResourceVersion != "3" {
		t.Errorf("Observations = %v", got)
	}
	if got := tl.Through(5).Statuses; len(got) != 3 || got[2].ResourceVersion != "3" {
		t.Errorf("Through(5) = %v", got)
	}
	if s, ok := tl.Through(5).Since(4).LastStatus(); !ok || s.ResourceVersion != "3" {
		t.Errorf("LastStatus = %v %t", s, ok)
	}
	gone := Timeline{Statuses: []SetStatus{{After: 1, Deleted: true}}}
	if got := gone.Since(3).Statuses; len(got) != 0 {
		t.Errorf("a deleted set is no baseline: %v", got)
	}
}

func TestCounted(t *testing.T) {
	settled := SetStatus{Generation: 3, ObservedGeneration: 3, SpecReplicas: 4, Replicas: 4, ReadyReplicas: 4, CurrentReplicas: 2, UpdatedReplicas: 2}
	if !Counted(2, 2)(settled) {
		t.Errorf("settled status not counted: %s", settled)
	}
	for name, s := range map[string]SetStatus{
		"older generation": func() SetStatus { s := settled; s.ObservedGeneration = 2; return s }(),
		"one unready":      func() SetStatus { s := settled; s.ReadyReplicas = 3; return s }(),
		"other counters":   func() SetStatus { s := settled; s.UpdatedReplicas = 3; return s }(),
		"deleted":          func() SetStatus { s := settled; s.Deleted = true; return s }(),
	} {
		if Counted(2, 2)(s) {
			t.Errorf("%s: counted as settled: %s", name, s)
		}
	}
}
