package cluster

import (
	"errors"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func node(name string, ready corev1.ConditionStatus, reason string) corev1.Node {
	return corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{{
			Type: corev1.NodeReady, Status: ready, Reason: reason,
		}}},
	}
}

var fiveNodes = []string{"s-worker4", "s-control-plane", "s-worker", "s-worker2", "s-worker3"}

func TestNodesStateCountsEveryNodeOfTheCluster(t *testing.T) {
	all := []corev1.Node{
		node("s-control-plane", corev1.ConditionTrue, ""), node("s-worker", corev1.ConditionTrue, ""),
		node("s-worker2", corev1.ConditionTrue, ""), node("s-worker3", corev1.ConditionTrue, ""),
		node("s-worker4", corev1.ConditionTrue, ""),
	}
	s := NewNodesState(fiveNodes, all)
	if !s.Done() || s.Count() != "5/5 nodes Ready" {
		t.Fatalf("all Ready: %s, done=%v", s.Count(), s.Done())
	}
	// What kind's own wait accepted: the control plane Ready, two workers
	// never registered.
	s = NewNodesState(fiveNodes, all[:3])
	if s.Done() || s.Count() != "3/5 nodes Ready" || strings.Join(s.Missing, ",") != "s-worker3,s-worker4" {
		t.Fatalf("missing workers: %+v", s)
	}
	s = NewNodesState(fiveNodes, append(all[:4:4], node("s-worker4", corev1.ConditionFalse, "KubeletNotReady")))
	if s.Done() || len(s.NotReady) != 1 || s.NotReady[0].Name != "s-worker4" {
		t.Fatalf("NotReady worker: %+v", s)
	}
	if NewNodesState(nil, nil).Done() {
		t.Fatal("no nodes is not a cluster")
	}
}

func TestNodesNotReadyErrorNamesNodesAndTheKnownCause(t *testing.T) {
	s := NewNodesState(fiveNodes, []corev1.Node{
		node("s-control-plane", corev1.ConditionTrue, ""), node("s-worker", corev1.ConditionTrue, ""),
		node("s-worker2", corev1.ConditionFalse, "KubeletNotReady"),
	})
	journals := map[string][]string{
		"s-worker3": {
			"Nov 25 18:02:13 s-worker3 kubelet[312]: E1125 18:02:13.1 312 run.go:72] \"command failed\" err=\"failed to run Kubelet: unable to start container manager: inotify_init: too many open files\"",
			"Nov 25 18:02:13 s-worker3 systemd[1]: kubelet.service: Main process exited, code=exited, status=1/FAILURE",
		},
		"s-worker4": nil,
	}
	err := NodesNotReadyError("s", 3*time.Minute, s, journals, errors.New("connection refused"))
	lines := strings.Split(err.Error(), "\n")
	want := `kind cluster "s": 2/5 nodes Ready after 3m0s (never registered: s-worker3, s-worker4; NotReady: s-worker2): kubelet of s-worker3: "too many open files": the host's inotify limits are exhausted (other clusters on this host?); run sudo sysctl -w fs.inotify.max_user_instances=512 fs.inotify.max_user_watches=524288`
	if lines[0] != want {
		t.Fatalf("first line:\n  want %s\n  got  %s", want, lines[0])
	}
	body := err.Error()
	for _, part := range []string{
		"last error listing nodes: connection refused",
		`s-worker2: Ready=False (reason "KubeletNotReady"`,
		"s-worker3: journalctl -u kubelet --no-pager -n 20:\n  Nov 25 18:02:13 s-worker3 kubelet[312]",
		"s-worker4: journalctl -u kubelet --no-pager -n 20: <nothing>",
	} {
		if !strings.Contains(body, part) {
			t.Errorf("details lack %q:\n%s", part, body)
		}
	}
	// Without the known cause, the first line names the nodes only.
	err = NodesNotReadyError("s", time.Minute, s, nil, nil)
	if first := strings.SplitN(err.Error(), "\n", 2)[0]; strings.Contains(first, "sysctl") || !strings.HasSuffix(first, "NotReady: s-worker2)") {
		t.Fatalf("first line: %s", first)
	}
}
