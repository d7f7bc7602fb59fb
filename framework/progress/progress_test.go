package progress

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)

func at(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }

func write(t *testing.T, dir string, events ...Event) {
	t.Helper()
	for _, e := range events {
		if err := Append(dir, e); err != nil {
			t.Fatal(err)
		}
	}
}

func TestTrackerFollowsEveryProcess(t *testing.T) {
	dir := t.TempDir()
	tr := NewTracker(dir)
	write(t, dir,
		Event{Kind: SuiteStarted, At: at(0), Proc: 1, WillRun: 4, Total: 6, Procs: 2},
		Event{Kind: SpecStarted, At: at(0), Proc: 1, Spec: "filtered out", State: "skipped"},
		Event{Kind: SpecEnded, At: at(0), Proc: 1, Spec: "filtered out", State: "skipped"},
		Event{Kind: SpecStarted, At: at(60), Proc: 1, Spec: "a"},
		Event{Kind: SpecStarted, At: at(61), Proc: 2, Spec: "b"},
		Event{Kind: SpecEnded, At: at(90), Proc: 2, Spec: "b", State: "failed"},
	)
	ended, err := tr.Poll()
	if err != nil || ended != 1 {
		t.Fatalf("Poll: %d ended, %v; want 1 (a filtered-out spec is not one of the run's)", ended, err)
	}
	s := tr.State()
	if s.WillRun != 4 || s.Procs != 2 || s.Failed != 1 || s.Done() != 1 || len(s.Running) != 1 || s.Running[1].Spec != "a" {
		t.Fatalf("state %+v", s)
	}
	if s.Ended["b"] != 29*time.Second {
		t.Errorf("b took %s; want 29s, from its start to its end", s.Ended["b"])
	}
	// Half a line is read once it is whole.
	f, err := os.OpenFile(file(dir, 1), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString(`{"kind":"end","proc":1,"spec":"a","st`)
	if ended, _ := tr.Poll(); ended != 0 {
		t.Errorf("a half-written line counted as %d ended specs", ended)
	}
	_, _ = f.WriteString(`ate":"passed","at":"2026-12-07T10:02:00Z"}` + "\n")
	f.Close()
	if ended, _ := tr.Poll(); ended != 1 || tr.State().Passed != 1 || len(tr.State().Running) != 0 {
		t.Errorf("after the line was completed: %d ended, state %+v", ended, tr.State())
	}
}

func TestLeft(t *testing.T) {
	now := at(100)
	base := State{Started: at(0), WillRun: 6, Procs: 2, Passed: 1,
		Running: map[int]Running{1: {Spec: "running", Since: at(80)}},
		Ended:   map[string]time.Duration{"done": 40 * time.Second}, notRun: map[string]bool{}}
	last := Times{
		"done": {Seconds: 40}, "running": {Seconds: 50}, "p1": {Seconds: 60}, "p2": {Seconds: 20},
		"s1": {Seconds: 30, Serial: true}, "s2": {Seconds: 45, Serial: true},
	}
	// Parallel: running 50-20=30, p1 60, p2 20 = 110 over 2 processes;
	// serial 30+45 one after another: 55 + 75 = 130 s.
	if got, basis := base.Left(now, last); got != 130*time.Second || basis != LastRun {
		t.Errorf("with the last run's times: %s %q; want 2m10s from the last run", got, basis)
	}
	// Without them: 4 waiting and one running at this run's mean (40 s):
	// (4*40 + 40-20) / 2 = 90 s.
	if got, basis := base.Left(now, nil); got != 90*time.Second || basis != ThisRun {
		t.Errorf("from this run's pace: %s %q; want 1m30s", got, basis)
	}
	// More specs wait than the last run knew of: the two others at this
	// run's mean, in parallel: (110 + 2*40) / 2 + 75 = 170 s.
	more := base
	more.WillRun = 8
	if got, _ := more.Left(now, last); got != 170*time.Second {
		t.Errorf("two specs the last run did not have: %s", got)
	}
	empty := State{Started: at(0), WillRun: 3, Running: map[int]Running{}, Ended: map[string]time.Duration{}}
	if _, basis := empty.Left(now, nil); basis != NoBasis {
		t.Errorf("nothing ended and no last run: basis %q; want no estimate", basis)
	}
}

func TestLine(t *testing.T) {
	long := strings.Repeat("x", 100)
	s := State{Started: at(0), WillRun: 29, Procs: 3, Passed: 10, Failed: 1, Skipped: 1,
		Running: map[int]Running{2: {Spec: "b", Since: at(200)}, 1: {Spec: long, Since: at(245)}},
		Ended:   map[string]time.Duration{"a": 30 * time.Second}, notRun: map[string]bool{}}
	got := s.Line(at(250), nil)
	want := `12/29 specs done (10 passed, 1 failed, 1 skipped); running "` + strings.Repeat("x", 59) + `…" 5s, "b" 50s; elapsed 4m10s; about `
	if !strings.HasPrefix(got, want) || !strings.HasSuffix(got, "left (from this run's pace)") {
		t.Errorf("line\n%s\nwant it to start\n%s", got, want)
	}
	setup := State{Started: at(0), WillRun: 29, Running: map[int]Running{}, Ended: map[string]time.Duration{}}
	if got := setup.Line(at(45), nil); got != "0/29 specs done (0 passed, 0 failed, 0 skipped); the suite's setup is running; elapsed 45s" {
		t.Errorf("during setup: %q", got)
	}
	if got := (State{}).Line(at(1), nil); got != "" {
		t.Errorf("before the suite started: %q; want nothing", got)
	}
}

func TestPrinterStartsProgressOnALineOfItsOwn(t *testing.T) {
	var b bytes.Buffer
	p := NewPrinter(&b)
	_, _ = p.Write([]byte("••"))
	p.Println("progress")
	_, _ = p.Write([]byte("•\nRan 3 specs\n"))
	p.Println("progress")
	if got := b.String(); got != "••\nprogress\n•\nRan 3 specs\nprogress\n" {
		t.Errorf("printed %q", got)
	}
}

func TestWatchPrintsAtEachEndAndEveryInterval(t *testing.T) {
	dir := t.TempDir()
	var mu sync.Mutex
	var lines []string
	stop := Watch(t.Context(), WatchInput{Dir: dir, Prefix: "progress: ", Interval: time.Hour, Poll: 5 * time.Millisecond,
		Print: func(l string) { mu.Lock(); lines = append(lines, l); mu.Unlock() }})
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(lines) }
	waitUntil := func(n int) {
		t.Helper()
		for range 400 {
			if count() >= n {
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Fatalf("%d lines after 2s; want %d: %q", count(), n, lines)
	}
	now := time.Now()
	write(t, dir, Event{Kind: SuiteStarted, At: now, Proc: 1, WillRun: 2, Procs: 1})
	waitUntil(1) // the suite started
	write(t, dir, Event{Kind: SpecStarted, At: now, Proc: 1, Spec: "a"}, Event{Kind: SpecEnded, At: now, Proc: 1, Spec: "a", State: "passed"})
	waitUntil(2)
	time.Sleep(50 * time.Millisecond)
	stop()
	if n := count(); n != 2 || !strings.HasPrefix(lines[1], "progress: 1/2 specs done (1 passed") {
		t.Errorf("lines %q; want one at the start and one at the spec's end, no more within the hour", lines)
	}

	// No spec ends: a line every Interval.
	lines = nil
	stop = Watch(t.Context(), WatchInput{Dir: dir, Interval: 20 * time.Millisecond, Poll: 5 * time.Millisecond,
		Print: func(l string) { mu.Lock(); lines = append(lines, l); mu.Unlock() }})
	waitUntil(3)
	stop()
}

func TestMode(t *testing.T) {
	for _, s := range []string{"auto", "always", "never"} {
		if _, err := ParseMode(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	if _, err := ParseMode("yes"); err == nil || !strings.Contains(err.Error(), `--progress "yes"`) {
		t.Errorf("--progress yes: %v", err)
	}
	var b bytes.Buffer
	if Auto.On(&b) || !Always.On(&b) || Never.On(os.Stdout) {
		t.Error("auto must be off for a buffer; always on; never off")
	}
	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if Auto.On(f) {
		t.Error("auto is on for a regular file; want it off when stdout is not a terminal")
	}
}

// What the suite pays per event (two per spec), and what a reader pays
// per Poll of a whole run's files (docs/performance.md).
func BenchmarkAppend(b *testing.B) {
	dir := b.TempDir()
	e := Event{Kind: SpecEnded, At: t0, Proc: 1, Spec: strings.Repeat("StatefulSet ordered creation ", 4), State: "passed"}
	for b.Loop() {
		if err := Append(dir, e); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPollAFullRun(b *testing.B) {
	dir := b.TempDir()
	_ = Append(dir, Event{Kind: SuiteStarted, At: t0, Proc: 1, WillRun: 30, Procs: 3})
	for i := range 30 {
		spec := strings.Repeat("x", 100) + string(rune('a'+i))
		_ = Append(dir, Event{Kind: SpecStarted, At: t0, Proc: 1 + i%3, Spec: spec})
		_ = Append(dir, Event{Kind: SpecEnded, At: t0, Proc: 1 + i%3, Spec: spec, State: "passed"})
	}
	for b.Loop() {
		tr := NewTracker(dir)
		if _, err := tr.Poll(); err != nil {
			b.Fatal(err)
		}
		_ = tr.State().Line(t0, nil)
	}
}
