package capwrap

import (
	"encoding/json"
	"fmt"
	"os"
)

// capabilityLists are the five lists of an OCI process's "capabilities".
var capabilityLists = []string{"bounding", "effective", "inheritable", "permitted", "ambient"}

// FilterProcess removes from an OCI process object (decoded generically so
// that every other field survives untouched) the capabilities s lacks. It
// reports whether anything changed.
func FilterProcess(process map[string]any, s Set) (bool, error) {
	raw, ok := process["capabilities"]
	if !ok || raw == nil {
		return false, nil
	}
	capsObj, ok := raw.(map[string]any)
	if !ok {
		return false, fmt.Errorf("process.capabilities is %T, want an object", raw)
	}
	changed := false
	for _, list := range capabilityLists {
		v, ok := capsObj[list]
		if !ok || v == nil {
			continue
		}
		items, ok := v.([]any)
		if !ok {
			return false, fmt.Errorf("process.capabilities.%s is %T, want a list", list, v)
		}
		kept := make([]any, 0, len(items))
		for _, it := range items {
			name, ok := it.(string)
			if !ok {
				return false, fmt.Errorf("process.capabilities.%s holds %T, want strings", list, it)
			}
			if s.Has(name) {
				kept = append(kept, name)
			} else {
				changed = true
			}
		}
		capsObj[list] = kept
	}
	return changed, nil
}

// FilterFile rewrites an OCI file in place. For a bundle's config.json the
// process object is under "process"; a runc exec --process file is the
// process object itself.
func FilterFile(path string, s Set, isBundleConfig bool) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("decode %s: %w", path, err)
	}
	process := doc
	if isBundleConfig {
		p, ok := doc["process"].(map[string]any)
		if !ok {
			return nil
		}
		process = p
	}
	changed, err := FilterProcess(process, s)
	if err != nil || !changed {
		return err
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, fi.Mode().Perm())
}
