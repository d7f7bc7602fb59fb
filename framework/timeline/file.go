package timeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// WriteFile saves the timeline as indented JSON, creating parent directories,
// so a run's evidence survives as an artifact.
func (tl Timeline) WriteFile(path string) error {
	data, err := json.MarshalIndent(tl, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding timeline of %s/%s: %w", tl.Namespace, tl.StatefulSet, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("writing timeline: %w", err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing timeline: %w", err)
	}
	return nil
}

// ReadFile loads a timeline saved by WriteFile, for re-checking an
// artifact; evidence the recorder could not have written is an
// *InconsistentError (Validate).
func ReadFile(path string) (Timeline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Timeline{}, fmt.Errorf("reading timeline: %w", err)
	}
	return Decode(data, path)
}

// Decode is ReadFile of data already read from path (which names the
// file in errors).
func Decode(data []byte, path string) (Timeline, error) {
	var tl Timeline
	if err := json.Unmarshal(data, &tl); err != nil {
		return Timeline{}, fmt.Errorf("decoding timeline %s: %w", path, err)
	}
	if err := Validate(tl); err != nil {
		var bad *InconsistentError
		if errors.As(err, &bad) {
			bad.File = path
		}
		return Timeline{}, err
	}
	// Seq is the authority for order: a file stored out of order is
	// replayed as the events arrived.
	return tl.Sorted(), nil
}
