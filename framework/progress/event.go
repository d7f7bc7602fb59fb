// Package progress tells a person watching a run how far it is: one line
// at each spec's end and every 30 seconds, with the specs done of the
// total, passed, failed and skipped so far, the specs running now and for
// how long, the elapsed time and an estimate of what is left.
//
// Ginkgo runs the suite in several processes and shows nothing of a spec
// until it ends, so the suite itself records the facts: hooks (Register)
// append one JSON line per event to a file per process under Dir in the
// artifacts directory. Whoever started Ginkgo (stsconform run on this
// host, the runner image's entrypoint in a pod) tails those files (Watch)
// and prints the lines next to Ginkgo's own output (Printer).
package progress

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Dir is the directory, in the artifacts directory, of the event files.
const Dir = "progress"

// Kind is what an event records.
type Kind string

const (
	// SuiteStarted is written once, by the first process, before the
	// suite's setup: how many specs will run on how many processes.
	SuiteStarted Kind = "suite"
	// SpecStarted and SpecEnded bracket one spec on one process.
	SpecStarted Kind = "start"
	SpecEnded   Kind = "end"
)

// Event is one line of a process's event file.
type Event struct {
	Kind Kind      `json:"kind"`
	At   time.Time `json:"at"`
	Proc int       `json:"proc"`
	// Spec is the spec's full text (its containers' texts and its own),
	// as Ginkgo's report names it.
	Spec   string `json:"spec,omitempty"`
	Serial bool   `json:"serial,omitempty"`
	// State is Ginkgo's state of the spec at its end; at its start it is
	// "skipped" when Ginkgo will not run it (filtered out, or the run is
	// ending), and empty otherwise.
	State string `json:"state,omitempty"`
	// WillRun, Total and Procs describe the suite (SuiteStarted).
	WillRun int `json:"willRun,omitempty"`
	Total   int `json:"total,omitempty"`
	Procs   int `json:"procs,omitempty"`
}

// file is the event file of a process.
func file(dir string, proc int) string {
	return filepath.Join(dir, fmt.Sprintf("proc-%d.jsonl", proc))
}

// Append writes one event to its process's file under dir. Each process
// writes only its own file, so no lock is needed across processes; a line
// is written with one call, so a reader sees whole lines or none of one.
func Append(dir string, e Event) error {
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("progress: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("progress: %w", err)
	}
	f, err := os.OpenFile(file(dir, e.Proc), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("progress: %w", err)
	}
	_, err = f.Write(append(line, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("progress: %w", err)
	}
	return nil
}

// Reset removes the event files a previous run left in dir.
func Reset(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "proc-*.jsonl"))
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := os.Remove(f); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("progress: %w", err)
		}
	}
	return nil
}
