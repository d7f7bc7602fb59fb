package incluster

import (
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/kube"
	"github.com/stsconform/stsconform/incluster/layout"
)

func testObjects(t *testing.T) *Objects {
	t.Helper()
	o, err := BuildObjects(JobInput{
		RunID: "20261125-1-abcd", Namespace: "stsconform-runner-x", Images: images.Defaults(),
		Env:     map[string]string{"E2E_FOCUS": "drain", "E2E_EXTRA_ARGS": "--timeout-dns=3m"},
		Timeout: time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestObjectsBindTheRunnerToItsRoleOnly(t *testing.T) {
	o := testObjects(t)
	sa := o.Job.Spec.Template.Spec.ServiceAccountName
	if sa != o.ServiceAccount.Name || o.Binding.Subjects[0].Name != sa || o.Binding.Subjects[0].Namespace != "stsconform-runner-x" {
		t.Fatalf("the Job runs as %q, the binding names %+v", sa, o.Binding.Subjects)
	}
	if o.Binding.RoleRef.Name != o.ClusterRole.Name || o.Binding.RoleRef.Kind != "ClusterRole" {
		t.Fatalf("binding refers to %+v, not the run's ClusterRole %s", o.Binding.RoleRef, o.ClusterRole.Name)
	}
	for _, obj := range []map[string]string{o.ClusterRole.Labels, o.Binding.Labels, o.Job.Labels} {
		if obj[kube.RunLabel] != "20261125-1-abcd" {
			t.Errorf("an object lacks the run label (cleanup finds it by that): %v", obj)
		}
	}
}

// The ClusterRole grants what the suite uses and nothing it does not: no
// wildcards, no secrets, no RBAC, no workload kinds beyond StatefulSets.
func TestRunnerClusterRoleIsLeastPrivilege(t *testing.T) {
	role, err := RunnerClusterRole()
	if err != nil {
		t.Fatal(err)
	}
	granted := map[string][]string{}
	for _, r := range role.Rules {
		for _, g := range r.APIGroups {
			for _, res := range r.Resources {
				if g == "*" || res == "*" || slices.Contains(r.Verbs, "*") {
					t.Errorf("wildcard rule %+v", r)
				}
				granted[g+"/"+res] = append(granted[g+"/"+res], r.Verbs...)
			}
		}
	}
	for _, forbidden := range []string{"/secrets", "rbac.authorization.k8s.io/clusterroles", "rbac.authorization.k8s.io/rolebindings", "apps/deployments", "batch/jobs", "/nodes/proxy"} {
		if _, ok := granted[forbidden]; ok {
			t.Errorf("the runner may touch %s, which no spec uses", forbidden)
		}
	}
	if slices.Contains(granted["/nodes"], "delete") || slices.Contains(granted["/nodes"], "create") {
		t.Errorf("the runner may create or delete nodes: %v", granted["/nodes"])
	}
	// What the specs cannot do without.
	for res, verbs := range map[string][]string{
		"/namespaces": {"create", "delete"}, "/pods/exec": {"create", "get"}, "/pods/eviction": {"create"}, "/pods/portforward": {"create"},
		"apps/statefulsets": {"create", "update", "delete", "watch"}, "policy/poddisruptionbudgets": {"create"},
		"/nodes": {"patch"}, "apps/controllerrevisions": {"list"}, "storage.k8s.io/storageclasses": {"list"},
	} {
		for _, v := range verbs {
			if !slices.Contains(granted[res], v) {
				t.Errorf("the runner may not %s %s", v, res)
			}
		}
	}
}

func TestJobRunsAsNobodyWithTheContract(t *testing.T) {
	o := testObjects(t)
	spec := o.Job.Spec.Template.Spec
	if *spec.SecurityContext.RunAsUser != layout.User || !*spec.SecurityContext.RunAsNonRoot {
		t.Errorf("pod security context %+v: the runner runs as nobody", spec.SecurityContext)
	}
	if *o.Job.Spec.BackoffLimit != 0 {
		t.Errorf("a failed run must not be retried: backoffLimit %d", *o.Job.Spec.BackoffLimit)
	}
	if got := time.Duration(*o.Job.Spec.ActiveDeadlineSeconds) * time.Second; got <= time.Hour {
		t.Errorf("deadline %s does not exceed the suite's timeout", got)
	}
	var runner, results *corev1.Container
	for i := range spec.Containers {
		switch spec.Containers[i].Name {
		case RunnerContainer:
			runner = &spec.Containers[i]
		case ResultsContainer:
			results = &spec.Containers[i]
		}
	}
	if runner == nil || results == nil {
		t.Fatalf("containers %v: want %s and %s", spec.Containers, RunnerContainer, ResultsContainer)
	}
	env := map[string]string{}
	for _, e := range runner.Env {
		env[e.Name] = e.Value
		if e.Name == kube.EnvNodeName && (e.ValueFrom == nil || e.ValueFrom.FieldRef.FieldPath != "spec.nodeName") {
			t.Errorf("%s must come from the downward API: %+v", kube.EnvNodeName, e)
		}
	}
	if env["E2E_FOCUS"] != "drain" || env["RESULTS_DIR"] != layout.ResultsDir {
		t.Errorf("env %v", env)
	}
	extra := env["E2E_EXTRA_ARGS"]
	for _, want := range []string{"--run-id=20261125-1-abcd", "--images=/etc/stsconform/images.yaml", "--timeout-dns=3m"} {
		if !strings.Contains(extra, want) {
			t.Errorf("E2E_EXTRA_ARGS %q lacks %s", extra, want)
		}
	}
	if results.Args[0] != "hold" {
		t.Errorf("results container args %v: want hold", results.Args)
	}
	var mapping map[string]string
	if err := yaml.Unmarshal([]byte(o.ImagesMap.Data[imagesKey]), &mapping); err != nil || mapping[string(images.Runner)] != images.Defaults().Ref(images.Runner) {
		t.Errorf("image mapping %q (%v) does not carry every role", o.ImagesMap.Data[imagesKey], err)
	}
}

func TestBuildObjectsRefusesAMissingRunnerImage(t *testing.T) {
	set := images.Defaults()
	delete(set, images.Runner)
	if _, err := BuildObjects(JobInput{RunID: "r", Namespace: "n", Images: set}); err == nil {
		t.Fatal("objects built without a runner image")
	}
}
