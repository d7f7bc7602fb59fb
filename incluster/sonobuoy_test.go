package incluster

import (
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// The plugin contract: a Job plugin with JUnit results, the results volume
// where Sonobuoy's worker looks for the done file, and the runner image
// with the variables given.
func TestSonobuoyPlugin(t *testing.T) {
	data, err := SonobuoyPlugin(PluginInput{Image: "reg.example/stsconform/runner:1", Env: map[string]string{"E2E_EXTRA_ARGS": "--image-registry=reg.example/stsconform", "E2E_SKIP": ""}})
	if err != nil {
		t.Fatal(err)
	}
	var p plugin
	if err := yaml.UnmarshalStrict(data, &p); err != nil {
		t.Fatalf("%v:\n%s", err, data)
	}
	if p.Config.Driver != "Job" || p.Config.ResultFormat != "junit" || p.Config.PluginName == "" {
		t.Errorf("sonobuoy-config %+v: want a Job plugin with junit results", p.Config)
	}
	if len(p.Spec.VolumeMounts) != 1 || p.Spec.VolumeMounts[0].MountPath != SonobuoyResultsDir {
		t.Errorf("volume mounts %+v: Sonobuoy's worker reads %s", p.Spec.VolumeMounts, SonobuoyResultsDir)
	}
	if p.Spec.Image != "reg.example/stsconform/runner:1" || len(p.Spec.Command) > 0 {
		t.Errorf("spec %+v: want the runner image with its own entrypoint", p.Spec)
	}
	if len(p.Spec.Env) != 1 || p.Spec.Env[0].Name != "E2E_EXTRA_ARGS" {
		t.Errorf("env %+v: want only the variables given", p.Spec.Env)
	}
	// Sonobuoy's RESULTS_DIR must reach the plan (the entrypoint writes
	// there): see TestPlanFrom's Sonobuoy case and TestRunHonoursTheRunnersContract.
	plan, err := PlanFrom(env(map[string]string{"RESULTS_DIR": SonobuoyResultsDir}))
	if err != nil || plan.ResultsDir != SonobuoyResultsDir || !strings.Contains(strings.Join(plan.Suite.Args(), " "), "--artifacts="+SonobuoyResultsDir) {
		t.Errorf("plan %+v, %v: results must go to Sonobuoy's directory", plan, err)
	}
	if _, err := SonobuoyPlugin(PluginInput{}); err == nil {
		t.Error("a plugin without an image was rendered")
	}
}
