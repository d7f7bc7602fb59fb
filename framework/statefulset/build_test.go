package statefulset

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// excluded lists, per node selector term, the node names the term keeps
// pods off.
func excluded(t *testing.T, spec corev1.PodSpec) [][]string {
	t.Helper()
	return nodeNames(spec, corev1.NodeSelectorOpNotIn)
}

// nodeNames lists, per node affinity term, the node names it matches
// with op.
func nodeNames(spec corev1.PodSpec, op corev1.NodeSelectorOperator) [][]string {
	if spec.Affinity == nil || spec.Affinity.NodeAffinity == nil || spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		return nil
	}
	var out [][]string
	for _, term := range spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
		var names []string
		for _, f := range term.MatchFields {
			if f.Key == "metadata.name" && f.Operator == op {
				names = append(names, f.Values...)
			}
		}
		out = append(out, names)
	}
	return out
}

func TestWithoutNodeKeepsOtherAffinity(t *testing.T) {
	set, _ := New("ns", "web", "img", WithRequiredAntiAffinity(), WithoutNode("runner-node"))
	aff := set.Spec.Template.Spec.Affinity
	if aff.PodAntiAffinity == nil {
		t.Fatal("WithoutNode dropped the pod anti-affinity")
	}
	if got := excluded(t, set.Spec.Template.Spec); len(got) != 1 || len(got[0]) != 1 || got[0][0] != "runner-node" {
		t.Fatalf("excluded nodes per term = %v, want [[runner-node]]", got)
	}
}

func TestWithoutNodeExcludesInEveryTerm(t *testing.T) {
	set, _ := New("ns", "web", "img")
	set.Spec.Template.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{
		RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{
			{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "zone", Operator: corev1.NodeSelectorOpIn, Values: []string{"a"}}}},
			{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "zone", Operator: corev1.NodeSelectorOpIn, Values: []string{"b"}}}},
		}},
	}}
	WithoutNode("n1")(set)
	got := excluded(t, set.Spec.Template.Spec)
	// Terms are ORed: a term without the exclusion would let pods onto n1.
	if len(got) != 2 || len(got[0]) != 1 || len(got[1]) != 1 {
		t.Fatalf("excluded nodes per term = %v, want n1 in both", got)
	}
}

func TestWithOnlyNodeLetsTheSchedulerPlaceOnThatNode(t *testing.T) {
	set, _ := New("ns", "web", "img", WithRequiredAntiAffinity(), WithOnlyNode("worker2"))
	spec := set.Spec.Template.Spec
	if spec.NodeName != "" {
		t.Fatalf("nodeName %q bypasses the scheduler, and a cordon with it", spec.NodeName)
	}
	if got := nodeNames(spec, corev1.NodeSelectorOpIn); len(got) != 1 || len(got[0]) != 1 || got[0][0] != "worker2" {
		t.Fatalf("required nodes per term = %v, want [[worker2]]", got)
	}
	if spec.Affinity.PodAntiAffinity == nil {
		t.Fatal("WithOnlyNode dropped the pod anti-affinity")
	}
}

// The failing container's script, run by this host's sh: SIGTERM ends it
// with 1 in a named pod and 0 in the others, promptly.
func TestWithFailingOnTermExitCodes(t *testing.T) {
	set, _ := New("ns", "web", "img", WithFailingOnTerm("web-0"))
	cs := set.Spec.Template.Spec.Containers
	if len(cs) != 2 || cs[1].Name != FailContainer || cs[1].Image != "img" {
		t.Fatalf("containers = %+v, want web and %s of the web image", cs, FailContainer)
	}
	for host, want := range map[string]int{"web-0": 1, "web-1": 0} {
		cmd := exec.Command(cs[1].Command[0], cs[1].Command[1:]...)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOSTNAME=" + host, "FAIL=" + cs[1].Env[0].Value}
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// The script says so once its trap is set.
		if line, err := bufio.NewReader(out).ReadString('\n'); err != nil || !strings.Contains(line, "trapping SIGTERM in "+host) {
			t.Fatalf("%s: first line %q, %v", host, line, err)
		}
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		err = cmd.Wait()
		got := cmd.ProcessState.ExitCode()
		if got != want {
			t.Errorf("%s: exit code %d (%v), want %d", host, got, err, want)
		}
	}
}
