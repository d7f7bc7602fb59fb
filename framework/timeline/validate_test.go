package timeline

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func validTimeline() Timeline {
	return Timeline{StatefulSet: "web", Namespace: "ns", Events: []Event{
		{Seq: 1, Kind: Created, Pod: "web-0", Ordinal: 0, UID: "u0", ObservedAt: t0},
		{Seq: 2, Kind: ClaimCreated, Claim: "data-web-0", Ordinal: -1, UID: "c0", ObservedAt: t0},
		{Seq: 3, Kind: Ready, Pod: "web-0", Ordinal: 0, UID: "u0", ObservedAt: t0},
		{Seq: 4, Kind: Created, Pod: "stray", Ordinal: -1, UID: "u9", ObservedAt: t0},
	}}
}

func TestValidateAcceptsTheRecordersShape(t *testing.T) {
	if err := Validate(validTimeline()); err != nil {
		t.Fatal(err)
	}
	if err := Validate(Timeline{StatefulSet: "web"}); err != nil {
		t.Fatalf("an empty recording: %v", err)
	}
}

func TestValidateRefusesInconsistentEvidence(t *testing.T) {
	for _, tc := range []struct {
		name   string
		edit   func(*Timeline)
		want   string
		wantAt int
	}{
		{"duplicate seq", func(tl *Timeline) { tl.Events[2].Seq = 1 }, "event #2 (seq 1): seq 1 is also event #0's", 2},
		{"negative seq", func(tl *Timeline) { tl.Events[1].Seq = -4 }, "seq -4 is not positive", 1},
		{"zero seq", func(tl *Timeline) { tl.Events[0].Seq = 0 }, "seq 0 is not positive", 0},
		{"unknown kind", func(tl *Timeline) { tl.Events[2].Kind = "Exploded" }, `unknown kind "Exploded"`, 2},
		{"ordinal against the name", func(tl *Timeline) { tl.Events[2].Ordinal = 3 }, "ordinal 3 contradicts pod web-0 of StatefulSet web (ordinal 0)", 2},
		{"ordinal of a stray pod", func(tl *Timeline) { tl.Events[3].Ordinal = 1 }, "ordinal 1 contradicts pod stray", 3},
		{"no timestamp", func(tl *Timeline) { tl.Events[2].ObservedAt = time.Time{} }, "no observedAt", 2},
		{"claim with a pod", func(tl *Timeline) { tl.Events[1].Pod = "web-0" }, "ClaimCreated must name a claim, no pod", 1},
		{"pod event without a pod", func(tl *Timeline) { tl.Events[0].Pod = "" }, "Created must name a pod", 0},
		{"StatefulSet matching no pod", func(tl *Timeline) {
			tl.StatefulSet = "db"
			for i := range tl.Events {
				if !IsClaimEvent(tl.Events[i].Kind) {
					tl.Events[i].Ordinal = -1
				}
			}
		}, "the StatefulSet's name matches none of them", -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tl := validTimeline()
			tc.edit(&tl)
			err := Validate(tl)
			var bad *InconsistentError
			if !errors.As(err, &bad) {
				t.Fatalf("got %v, want an *InconsistentError", err)
			}
			if !strings.HasPrefix(err.Error(), "the evidence is inconsistent: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %q, want it to contain %q", err, tc.want)
			}
			if bad.Index != tc.wantAt {
				t.Errorf("index %d, want %d", bad.Index, tc.wantAt)
			}
		})
	}
}

// Every EventKind constant declared in this package must be in Kinds,
// or Validate would refuse the recorder's own evidence.
func TestEveryDeclaredKindIsValid(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var declared []EventKind
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok || vs.Type == nil {
				return true
			}
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "EventKind" {
				return true
			}
			for _, v := range vs.Values {
				if lit, ok := v.(*ast.BasicLit); ok {
					declared = append(declared, EventKind(strings.Trim(lit.Value, `"`)))
				}
			}
			return true
		})
	}
	if len(declared) < 13 {
		t.Fatalf("found only %d EventKind constants: %v", len(declared), declared)
	}
	for _, k := range declared {
		if !slices.Contains(Kinds, k) {
			t.Errorf("kind %s is declared but not in Kinds: Validate would refuse it", k)
		}
		e := Event{Seq: 1, Kind: k, Pod: "web-0", Ordinal: 0, ObservedAt: t0}
		if IsClaimEvent(k) {
			e = Event{Seq: 1, Kind: k, Claim: "data-web-0", Ordinal: -1, ObservedAt: t0}
		}
		if err := Validate(Timeline{StatefulSet: "web", Events: []Event{e}}); err != nil {
			t.Errorf("kind %s: %v", k, err)
		}
	}
}

func TestReadFileReplaysBySeqAndNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	tl := validTimeline()
	slices.Reverse(tl.Events)
	path := filepath.Join(dir, "t.json")
	if err := tl.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range got.Events {
		if e.Seq != i+1 {
			t.Fatalf("event %d has seq %d: not replayed in seq order", i, e.Seq)
		}
	}
	tl.Events[0].Seq = tl.Events[1].Seq
	if err := tl.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	_, err = ReadFile(path)
	var bad *InconsistentError
	if !errors.As(err, &bad) || !strings.Contains(err.Error(), "inconsistent: "+path+": event #1 (seq 3)") {
		t.Fatalf("got %v", err)
	}
	if bad.ExitCode() == 1 || bad.ExitCode() == 0 {
		t.Errorf("exit code %d is not distinct", bad.ExitCode())
	}
	if err := os.WriteFile(path, []byte(`{"statefulSet":"web","events":[{"seq":1,"kind":"Created","pod":"web-0","ordinal":0,"observedAt":"yesterday"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(path); err == nil || !strings.Contains(err.Error(), "decoding timeline") {
		t.Errorf("an unparseable timestamp: got %v", err)
	}
}
