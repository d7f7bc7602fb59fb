package report

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestEnvironmentRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "sub", EnvironmentFile)
	want := kindEnvironment()
	if err := want.WriteFile(p); err != nil {
		t.Fatal(err)
	}
	got, err := ReadEnvironment(p)
	if err != nil {
		t.Fatal(err)
	}
	want.SchemaVersion = environmentSchema
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back %+v\nwrote     %+v", got, want)
	}
	if err := os.WriteFile(p, []byte(`{"schemaVersion": 99}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadEnvironment(p); err == nil || !strings.Contains(err.Error(), "schemaVersion 99") {
		t.Errorf("a newer environment.json was read: %v", err)
	}
}

func TestSettingNeverLooksKnownWhenItIsNot(t *testing.T) {
	for _, tc := range []struct {
		s    Setting
		want string
	}{
		{Setting{Value: "20s"}, "20s"},
		{Setting{Unknown: "pods is forbidden"}, "unknown (pods is forbidden)"},
		{Setting{}, "unknown (not recorded by the suite)"},
	} {
		if got := tc.s.String(); got != tc.want {
			t.Errorf("%+v renders %q; want %q", tc.s, got, tc.want)
		}
	}
}

// TestLoadWithoutEnvironment: artifacts of a run before environment.json
// existed still rebuild, say the environment is unknown, and never certify.
func TestLoadWithoutEnvironment(t *testing.T) {
	dir := passingRun().materialise(t)
	if err := os.Remove(filepath.Join(dir, EnvironmentFile)); err != nil {
		t.Fatal(err)
	}
	r, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if r.Overall() != Incomplete || !strings.Contains(strings.Join(r.problems, ";"), "environment.json is not in the artifacts") {
		t.Errorf("overall %q, problems %v; want incomplete for the missing environment", r.Overall(), r.problems)
	}
	if err := r.Write(dir); err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(filepath.Join(dir, HTMLFile))
	if !strings.Contains(string(page), "unknown (not recorded by the suite)") {
		t.Error("the page does not say the environment is unknown")
	}
	if _, err := Load(t.TempDir()); err == nil {
		t.Error("Load of a directory without report.json succeeded")
	}
}
