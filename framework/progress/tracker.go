package progress

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// Running is a spec one process runs now.
type Running struct {
	Spec   string
	Serial bool
	Since  time.Time
}

// State is what the events so far say.
type State struct {
	// Started is when the suite's first process began (zero until its
	// SuiteStarted event); WillRun and Procs are from that event.
	Started time.Time
	WillRun int
	Procs   int
	Passed  int
	Failed  int
	Skipped int
	// Running are the specs running now, by process.
	Running map[int]Running
	// Ended are the specs that ended, with how long they took; specs
	// Ginkgo never meant to run (filtered out) are not among them.
	Ended map[string]time.Duration
	// notRun are specs Ginkgo reported as skipped before starting them.
	notRun map[string]bool
}

// Done is how many of the specs that will run have ended.
func (s State) Done() int { return s.Passed + s.Failed + s.Skipped }

// Tracker reads the event files of a run as they grow.
type Tracker struct {
	dir     string
	offsets map[string]int64
	state   State
}

// NewTracker tracks the event files under dir (the artifacts directory's
// Dir).
func NewTracker(dir string) *Tracker {
	return &Tracker{dir: dir, offsets: map[string]int64{}, state: State{
		Running: map[int]Running{}, Ended: map[string]time.Duration{}, notRun: map[string]bool{},
	}}
}

// State is what the events read so far say.
func (t *Tracker) State() State { return t.state }

// Poll reads what the files gained since the last Poll and returns how
// many specs ended in it. A line not yet complete is read next time.
func (t *Tracker) Poll() (int, error) {
	files, err := filepath.Glob(filepath.Join(t.dir, "proc-*.jsonl"))
	if err != nil {
		return 0, err
	}
	sort.Strings(files)
	ended := 0
	var errs []error
	for _, f := range files {
		n, err := t.read(f)
		ended += n
		if err != nil {
			errs = append(errs, err)
		}
	}
	return ended, errors.Join(errs...)
}

func (t *Tracker) read(path string) (int, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if _, err := f.Seek(t.offsets[path], io.SeekStart); err != nil {
		return 0, err
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return 0, err
	}
	complete := bytes.LastIndexByte(data, '\n') + 1
	t.offsets[path] += int64(complete)
	ended := 0
	for _, line := range bytes.Split(data[:complete], []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var e Event
		if err := json.Unmarshal(line, &e); err != nil {
			// A line this build cannot read is skipped, not fatal: the
			// lines are for people, the run goes on regardless.
			continue
		}
		if t.apply(e) {
			ended++
		}
	}
	return ended, nil
}

// apply adds one event to the state; it reports whether a spec that was
// meant to run ended.
func (t *Tracker) apply(e Event) bool {
	s := &t.state
	switch e.Kind {
	case SuiteStarted:
		s.Started, s.WillRun, s.Procs = e.At, e.WillRun, e.Procs
	case SpecStarted:
		if e.State != "" {
			s.notRun[e.Spec] = true
			return false
		}
		s.Running[e.Proc] = Running{Spec: e.Spec, Serial: e.Serial, Since: e.At}
	case SpecEnded:
		if s.notRun[e.Spec] {
			return false
		}
		var took time.Duration
		if r, ok := s.Running[e.Proc]; ok && r.Spec == e.Spec {
			took = e.At.Sub(r.Since)
			delete(s.Running, e.Proc)
		}
		s.Ended[e.Spec] = took
		switch e.State {
		case "passed":
			s.Passed++
		case "skipped", "pending":
			s.Skipped++
		default:
			s.Failed++
		}
		return true
	}
	return false
}
