package timeline

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

// seedFiles are the timelines recorded on real clusters that the
// repository keeps as test data: the fuzzers start from evidence the
// recorder wrote.
func seedFiles(f *testing.F) [][]byte {
	f.Helper()
	var out [][]byte
	for _, dir := range []string{"../../cmd/stsconform/testdata", "../report/testdata"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.json"))
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			out = append(out, data)
		}
	}
	if len(out) == 0 {
		f.Fatal("no recorded timelines to seed from")
	}
	return out
}

// FuzzDecode feeds the decoder and Validate arbitrary files: they must not
// panic, must cost memory in proportion to the file, and what they accept
// must be valid and in seq order.
func FuzzDecode(f *testing.F) {
	for _, data := range seedFiles(f) {
		f.Add(data)
	}
	f.Add([]byte(`{"statefulSet":"web","events":[{"seq":2,"kind":"Created","pod":"web-0","ordinal":0,"observedAt":"2030-01-01T00:00:00Z"},{"seq":1,"kind":"Ready","pod":"web-0","ordinal":0,"observedAt":"2030-01-01T00:00:00Z"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		tl, err := Decode(data, "fuzz.json")
		runtime.ReadMemStats(&after)
		// encoding/json's own cost is a small multiple of the input.
		if grown := after.TotalAlloc - before.TotalAlloc; grown > uint64(64*len(data))+1<<20 {
			t.Fatalf("decoding %d bytes allocated %d", len(data), grown)
		}
		if err != nil {
			return
		}
		if err := Validate(tl); err != nil {
			t.Fatalf("Decode accepted a timeline Validate refuses: %v", err)
		}
		if !slices.IsSortedFunc(tl.Events, bySeq) {
			t.Fatal("Decode returned events out of seq order")
		}
	})
}
