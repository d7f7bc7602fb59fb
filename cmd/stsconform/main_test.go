package main

import (
	"os"
	"strings"
	"testing"

	"github.com/stsconform/stsconform/framework/buildinfo"
)

// asMain makes the test binary the stsconform command, so that the bad
// inputs are tried as a user runs them: a process, its stderr and its exit
// status (badinput_test.go).
const asMain = "STSCONFORM_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMain) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestVersion(t *testing.T) {
	v, c := buildinfo.Version, buildinfo.Commit
	buildinfo.Version, buildinfo.Commit = "v0.4.0-3-gabcdef", "abcdef0123456789"
	t.Cleanup(func() { buildinfo.Version, buildinfo.Commit = v, c })
	out, err := runStsconform("--version")
	if err != nil || out != "stsconform version v0.4.0-3-gabcdef\ncommit abcdef0123456789\n" {
		t.Errorf("--version: %v\n%q", err, out)
	}
}

// A word that names no subcommand is an error, not the group's help with
// exit status 0; the group alone still prints its help.
func TestUnknownSubcommands(t *testing.T) {
	for args, want := range map[string]string{
		"images lst":      `unknown command "lst" for "stsconform images" (commands: list, push); did you mean list?`,
		"completion tcsh": `unknown command "tcsh" for "stsconform completion" (commands: bash, fish, powershell, zsh)`,
		"lst":             `unknown command "lst" for "stsconform" (commands: bench, cleanup, cluster-down, cluster-up, completion, images, report, rerun, run, selftest, sonobuoy-plugin, verify)`,
		"help images lst": `unknown command "lst" for "stsconform images"`,
	} {
		out, err := runStsconform(strings.Fields(args)...)
		if err == nil || !strings.HasPrefix(err.Error(), want) || out != "" {
			t.Errorf("stsconform %s: %v; want %q and no output, got %q", args, err, want, out)
		}
	}
	for _, args := range []string{"images", "completion", "help images"} {
		if out, err := runStsconform(strings.Fields(args)...); err != nil || !strings.Contains(out, "Available Commands") {
			t.Errorf("stsconform %s: %v\n%s", args, err, out)
		}
	}
	if out, err := runStsconform("completion", "bash"); err != nil || !strings.Contains(out, "bash completion") {
		t.Errorf("completion bash: %v", err)
	}
}
