package incluster

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/progress"
)

// runnerEnv is the runner container's environment as the pod sees it.
func runnerEnv(o *Objects) map[string]string {
	env := map[string]string{}
	for _, e := range o.Job.Spec.Template.Spec.Containers[0].Env {
		env[e.Name] = e.Value
	}
	return env
}

// What stsconform run --in-cluster decides about progress reaches the
// entrypoint's plan: lines on or off, and the last run's spec times
// through the ConfigMap.
func TestProgressReachesThePlan(t *testing.T) {
	for _, on := range []bool{true, false} {
		o, err := BuildObjects(JobInput{RunID: "r", Namespace: "n", Images: images.Defaults(), Timeout: time.Hour,
			Progress: on, Times: progress.Times{"spec a": {Seconds: 3}}})
		if err != nil {
			t.Fatal(err)
		}
		env := runnerEnv(o)
		// The ConfigMap's file, where the pod mounts it.
		times := filepath.Join(t.TempDir(), timesKey)
		if err := os.WriteFile(times, []byte(o.ImagesMap.Data[timesKey]), 0o644); err != nil {
			t.Fatal(err)
		}
		if env[ProgressTimesEnv] != imagesDir+"/"+timesKey {
			t.Errorf("%s=%q; want the mounted %s", ProgressTimesEnv, env[ProgressTimesEnv], timesKey)
		}
		env[ProgressTimesEnv] = times
		p, err := PlanFrom(func(k string) string { return env[k] })
		if err != nil {
			t.Fatal(err)
		}
		if p.Progress != on || (on && p.Times["spec a"].Seconds != 3) {
			t.Errorf("progress %t: plan has progress %t, times %v", on, p.Progress, p.Times)
		}
	}
	if _, err := PlanFrom(env(map[string]string{ProgressEnv: "loud"})); err == nil || !strings.Contains(err.Error(), ProgressEnv) {
		t.Errorf("%s=loud: %v; want it refused", ProgressEnv, err)
	}
	p, err := PlanFrom(env(map[string]string{ProgressTimesEnv: "/no/such/file"}))
	if err != nil || !p.Progress || !strings.Contains(strings.Join(p.Notes, " "), "spec times are not used") {
		t.Errorf("unreadable times: %v, notes %q; want progress on, and a note", err, p.Notes)
	}
}

// In the pod progress lines go to the container's log, never into e2e.log
// (hydrophone counts Ginkgo's dots there), and none follows Ginkgo's
// closing line.
func TestRunPrintsProgressInTheLogOnly(t *testing.T) {
	dir := t.TempDir()
	plan, err := PlanFrom(env(map[string]string{"RESULTS_DIR": dir}))
	if err != nil {
		t.Fatal(err)
	}
	events := filepath.Join(dir, progress.Dir, "proc-1.jsonl")
	now := time.Now().UTC().Format(time.RFC3339Nano)
	script := filepath.Join(t.TempDir(), "ginkgo")
	body := "#!/bin/sh\necho 'Will run 1 of 1 specs'\nmkdir -p " + filepath.Dir(events) + "\n" +
		`printf '{"kind":"suite","proc":1,"willRun":1,"procs":1,"at":"` + now + `"}\n' >> ` + events + "\n" +
		`printf '{"kind":"start","proc":1,"spec":"a","at":"` + now + `"}\n{"kind":"end","proc":1,"spec":"a","state":"passed","at":"` + now + `"}\n' >> ` + events + "\n" +
		"printf '•'\nsleep 1\necho\necho 'Ginkgo ran 1 suite in 2s'\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := Run(context.Background(), RunInput{Plan: plan, Ginkgo: script, Out: &out, ProgressPoll: 20 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "•\nstsconform-runner: progress: 1/1 specs done (1 passed") {
		t.Errorf("the log has no progress line on a line of its own:\n%s", out.String())
	}
	log, _ := os.ReadFile(filepath.Join(dir, LogFile))
	if strings.Contains(string(log), "progress:") {
		t.Errorf("e2e.log has a progress line:\n%s", log)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	for _, l := range lines[len(lines)-2:] {
		if strings.Contains(l, "progress:") {
			t.Errorf("a progress line after Ginkgo's closing line:\n%s", out.String())
		}
	}
}
