package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// runRecordFile, in a run's artifacts directory, holds how stsconform run
// was invoked, so that stsconform rerun runs again on the same cluster with
// the same settings.
const runRecordFile = "run.json"

// notRecorded are flags that describe this invocation, not the run's
// settings: where its results go, whether it prints progress, help.
var notRecorded = []string{"artifacts", "progress", "help"}

// runRecord is every flag of run by name (paths absolute), and the
// arguments after "--".
type runRecord struct {
	Flags      map[string][]string `json:"flags"`
	GinkgoArgs []string            `json:"ginkgoArgs,omitempty"`
	SuiteArgs  []string            `json:"suiteArgs,omitempty"`
}

// absolutize makes the data files of f absolute, as the suite (which runs
// in its package's directory) and a later re-run from elsewhere need them.
func (f *runFlags) absolutize() {
	for _, p := range []*string{&f.Kubeconfig, &f.ImagesFile, &f.KindConfig} {
		if *p != "" {
			if a, err := filepath.Abs(*p); err == nil {
				*p = a
			}
		}
	}
}

// writeRecord saves the invocation into dir.
func writeRecord(cmd *cobra.Command, f *runFlags, dir string) error {
	rec := runRecord{Flags: map[string][]string{}, GinkgoArgs: f.GinkgoArgs, SuiteArgs: f.SuiteArgs}
	cmd.Flags().VisitAll(func(fl *pflag.Flag) {
		if slices.Contains(notRecorded, fl.Name) {
			return
		}
		if sv, ok := fl.Value.(pflag.SliceValue); ok {
			rec.Flags[fl.Name] = sv.GetSlice()
			return
		}
		rec.Flags[fl.Name] = []string{fl.Value.String()}
	})
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, runRecordFile), append(data, '\n'), 0o644)
}

// readRecord applies the invocation recorded in dir to the flags the
// command line did not set; it reports whether there was one.
func readRecord(cmd *cobra.Command, f *runFlags, dir string) (bool, error) {
	data, err := os.ReadFile(filepath.Join(dir, runRecordFile))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var rec runRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return false, fmt.Errorf("%s: %w", filepath.Join(dir, runRecordFile), err)
	}
	var errs []error
	cmd.Flags().VisitAll(func(fl *pflag.Flag) {
		vals, ok := rec.Flags[fl.Name]
		if !ok || fl.Changed || slices.Contains(notRecorded, fl.Name) {
			return
		}
		if sv, ok := fl.Value.(pflag.SliceValue); ok {
			errs = append(errs, sv.Replace(vals))
		} else if len(vals) == 1 {
			errs = append(errs, fl.Value.Set(vals[0]))
		}
	})
	f.GinkgoArgs = append(rec.GinkgoArgs, f.GinkgoArgs...)
	f.SuiteArgs = append(rec.SuiteArgs, f.SuiteArgs...)
	if err := errors.Join(errs...); err != nil {
		return false, fmt.Errorf("%s: %w", filepath.Join(dir, runRecordFile), err)
	}
	return true, nil
}
