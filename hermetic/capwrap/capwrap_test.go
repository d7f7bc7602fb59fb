package capwrap

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

const vmStatus = "Name:\tcat\nCapInh:\t0000000000000000\nCapBnd:\t000001fffeffffff\nCapAmb:\t0000000000000000\n"

func TestParseStatusFindsMissingSysResource(t *testing.T) {
	s, err := ParseStatus(vmStatus)
	if err != nil {
		t.Fatal(err)
	}
	if s.Has("CAP_SYS_RESOURCE") {
		t.Fatal("CAP_SYS_RESOURCE (bit 24) is clear in 000001fffeffffff but Has said true")
	}
	if !s.Has("CAP_SYS_ADMIN") || !s.Has("CAP_CHECKPOINT_RESTORE") {
		t.Fatal("capabilities present in the set were reported missing")
	}
	if got := s.Missing(s.KernelMax()); !reflect.DeepEqual(got, []string{"CAP_SYS_RESOURCE"}) {
		t.Fatalf("Missing = %v, want only CAP_SYS_RESOURCE", got)
	}
}

func TestParseStatusErrors(t *testing.T) {
	if _, err := ParseStatus("Name:\tx\n"); err == nil {
		t.Fatal("want an error when CapBnd is absent")
	}
	if _, err := ParseStatus("CapBnd:\tzz\n"); err == nil {
		t.Fatal("want an error for a malformed mask")
	}
}

func TestFullSetKeepsEverything(t *testing.T) {
	full := Set(0x1ffffffffff)
	kept, dropped := full.Filter([]string{"CAP_SYS_RESOURCE", "CAP_NET_ADMIN"})
	if len(dropped) != 0 || len(kept) != 2 {
		t.Fatalf("full set dropped %v", dropped)
	}
}

func TestUnknownCapabilityIsKept(t *testing.T) {
	if !Set(0).Has("CAP_FROM_THE_FUTURE") {
		t.Fatal("unknown names must be left for runc to judge")
	}
}

func TestFindTarget(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want Target
	}{
		{"create with bundle", []string{"--root", "/run/r", "--log", "/l", "create", "--bundle", "/b", "id"}, Target{"/b/config.json", true}},
		{"create with bundle=", []string{"create", "--bundle=/b", "id"}, Target{"/b/config.json", true}},
		{"run in cwd", []string{"run", "id"}, Target{"/cwd/config.json", true}},
		{"exec process", []string{"--root", "/r", "exec", "--process", "/tmp/p.json", "--detach", "id"}, Target{Path: "/tmp/p.json"}},
		{"exec short flag relative", []string{"exec", "-p", "p.json", "id"}, Target{Path: "/cwd/p.json"}},
		{"exec without process file", []string{"exec", "id", "ls"}, Target{}},
		{"state", []string{"--root", "/r", "state", "id"}, Target{}},
		{"no subcommand", []string{"--version"}, Target{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := FindTarget(c.args, "/cwd"); got != c.want {
				t.Fatalf("FindTarget(%v) = %+v, want %+v", c.args, got, c.want)
			}
		})
	}
}

func TestFilterFileBundleConfig(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "config.json")
	doc := `{"ociVersion":"1.0.2","process":{"args":["sh"],"capabilities":{
		"bounding":["CAP_CHOWN","CAP_SYS_RESOURCE"],"effective":["CAP_SYS_RESOURCE"],
		"permitted":["CAP_CHOWN","CAP_SYS_RESOURCE"]}},"hostname":"x"}`
	if err := os.WriteFile(p, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	s, _ := ParseStatus(vmStatus)
	if err := FilterFile(p, s, true); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Hostname string
		Process  struct {
			Args         []string
			Capabilities map[string][]string
		}
	}
	b, _ := os.ReadFile(p)
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"bounding": {"CAP_CHOWN"}, "effective": {}, "permitted": {"CAP_CHOWN"}}
	if !reflect.DeepEqual(got.Process.Capabilities, want) {
		t.Fatalf("capabilities = %v, want %v", got.Process.Capabilities, want)
	}
	if got.Hostname != "x" || len(got.Process.Args) != 1 {
		t.Fatalf("other fields were not preserved: %s", b)
	}
}

func TestFilterFileProcessFileUnchangedIsNotRewritten(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "process.json")
	doc := `{"args":["ls"],  "capabilities":{"bounding":["CAP_CHOWN"]}}`
	if err := os.WriteFile(p, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	s, _ := ParseStatus(vmStatus)
	if err := FilterFile(p, s, false); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != doc {
		t.Fatalf("file rewritten although nothing was dropped: %s", b)
	}
}

func TestFilterProcessRejectsMalformed(t *testing.T) {
	if _, err := FilterProcess(map[string]any{"capabilities": "all"}, 0); err == nil {
		t.Fatal("want an error for a non-object capabilities field")
	}
}
