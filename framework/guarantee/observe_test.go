package guarantee

import (
	"slices"
	"testing"
)

func ordinals(steps []Step) []int {
	var out []int
	for _, s := range steps {
		out = append(out, s.Ordinal)
	}
	return out
}

func TestConcurrencyParallelVersusOrdered(t *testing.T) {
	parallel := Concurrency(newScript().create(0, "r1").create(1, "r1").create(2, "r1").
		running(1).running(0).running(2).ready(2).ready(0).ready(1).timeline())
	if parallel.MaxNotReady != 3 || !slices.Equal(parallel.MaxNotReadyPods, []string{"web-0", "web-1", "web-2"}) || parallel.MaxNotReadyAt != 3 {
		t.Errorf("parallel: %+v", parallel)
	}
	if got := ordinals(parallel.Creations); !slices.Equal(got, []int{0, 1, 2}) {
		t.Errorf("parallel creations %v", got)
	}

	ordered := Concurrency(threeUp().timeline())
	if ordered.MaxNotReady != 1 || ordered.MaxTerminating != 0 || len(ordered.Terminations) != 0 {
		t.Errorf("ordered: %+v", ordered)
	}
}

func TestConcurrencyIgnoresBaselineActions(t *testing.T) {
	obs := Concurrency(newScript().asBaseline(true).up(0, "r1").asBaseline(false).up(1, "r1").timeline())
	if got := ordinals(obs.Creations); !slices.Equal(got, []int{1}) {
		t.Errorf("creations %v, want only the observed one", got)
	}
}

func TestTerminationOrder(t *testing.T) {
	cases := []struct {
		name           string
		obs            TerminationObservation
		wantOrder      []int
		wantDescending bool
		wantConcurrent int
	}{
		{"reverse, one at a time", TerminationOrder(threeUp().down(2).down(1).down(0).timeline()), []int{2, 1, 0}, true, 1},
		{"cascade all at once", TerminationOrder(threeUp().terminating(1).terminating(0).terminating(2).
			deleted(0).deleted(2).deleted(1).timeline()), []int{1, 0, 2}, false, 3},
		{"force delete without Terminating", TerminationOrder(threeUp().deleted(0).deleted(1).timeline()), []int{0, 1}, false, 0},
		{"nothing terminated", TerminationOrder(threeUp().timeline()), nil, true, 0},
	}
	for _, c := range cases {
		if got := ordinals(c.obs.Order); !slices.Equal(got, c.wantOrder) || c.obs.Descending != c.wantDescending || c.obs.MaxConcurrent != c.wantConcurrent {
			t.Errorf("%s: order %v descending %t concurrent %d; want %v %t %d",
				c.name, got, c.obs.Descending, c.obs.MaxConcurrent, c.wantOrder, c.wantDescending, c.wantConcurrent)
		}
	}
}
