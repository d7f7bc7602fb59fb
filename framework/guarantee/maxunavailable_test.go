package guarantee

import (
	"slices"
	"testing"
)

func TestMaxUnavailable(t *testing.T) {
	three := func() *script {
		return newScript().asBaseline(true).up(0, "r1").up(1, "r1").up(2, "r1").asBaseline(false)
	}
	in := MaxUnavailableInput{Replicas: 3, MaxUnavailable: 2}
	cases := []checkCase{
		{name: "two at a time", tl: three().down(2).down(1).up(2, "r2").up(1, "r2").down(0).up(0, "r2").timeline()},
		{name: "one at a time", tl: three().replace(2, "r2").replace(1, "r2").replace(0, "r2").timeline()},
		{name: "three at once", tl: three().down(2).down(1).terminating(0).timeline(),
			wantIn: []string{"after web-0 Terminating, 3 pods were unavailable (web-0, web-1, web-2), more than maxUnavailable 2", "web-0 uid=uid-0-1"}},
		// web-0 was unready before the update: it counts, as the KEP says.
		{name: "an unready pod outside the update counts", tl: three().unready(0).down(2).down(1).timeline(),
			wantIn: []string{"3 pods were unavailable (web-0, web-1, web-2)"}},
		{name: "only baseline", tl: three().timeline(), wantIn: []string{"events of the update"}, lacks: true},
		{name: "no pods", tl: newScript().up(0, "r1").timeline(), wantIn: []string{"web-1..web-2"}, lacks: true},
	}
	runChecks(t, in.Judge, cases)
}

// A pod Ready for less than minReadySeconds is still unavailable: a
// controller that took Ready for available would replace a third pod.
func TestMaxUnavailableHonoursMinReadySeconds(t *testing.T) {
	tl := newScript().asBaseline(true).up(0, "r1").up(1, "r1").up(2, "r1").asBaseline(false).
		down(2).down(1).up(2, "r2").up(1, "r2").down(0).timeline()
	// The script's clock gives one second per event: web-1 and web-2 were
	// Ready 4 and 7 seconds before web-0 went down.
	runChecks(t, MaxUnavailableInput{Replicas: 3, MaxUnavailable: 2, MinReadySeconds: 10}.Judge, []checkCase{{
		name: "Ready but not yet available", tl: tl,
		wantIn: []string{"after web-0 Terminating, 3 pods were unavailable"}}})
	runChecks(t, MaxUnavailableInput{Replicas: 3, MaxUnavailable: 2, MinReadySeconds: 3}.Judge, []checkCase{{name: "available by then", tl: tl}})
	if got := (MaxUnavailableInput{Replicas: 3, MaxUnavailable: 2}).MostUnavailable(tl); got.Max != 2 || got.At == nil {
		t.Errorf("MostUnavailable = %+v, want 2", got)
	}
}

// The series is the judge's count after every event, baseline left out: a
// chart of it shows the same peak the checker judged.
func TestMaxUnavailableSeries(t *testing.T) {
	tl := newScript().asBaseline(true).up(0, "r1").up(1, "r1").up(2, "r1").asBaseline(false).
		down(2).down(1).terminating(0).timeline()
	in := MaxUnavailableInput{Replicas: 3, MaxUnavailable: 2}
	var got []int
	for _, u := range in.Series(tl) {
		got = append(got, u.Down)
		if u.Seq == 0 || u.At.IsZero() {
			t.Errorf("point %+v lacks its event's seq or time", u)
		}
	}
	if want := []int{1, 1, 1, 2, 2, 2, 3}; !slices.Equal(got, want) {
		t.Errorf("Series = %v, want %v (down(n) is Terminating, Unready, Deleted)", got, want)
	}
	if peak := in.MostUnavailable(tl).Max; peak != slices.Max(got) {
		t.Errorf("MostUnavailable %d, but the series peaks at %d", peak, slices.Max(got))
	}
}
