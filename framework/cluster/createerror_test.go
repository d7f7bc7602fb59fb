package cluster

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	kinderrors "sigs.k8s.io/kind/pkg/errors"
	"sigs.k8s.io/kind/pkg/exec"
)

// kindJoinError is what kind's create returns when a worker's kubeadm join
// fails: its action wraps the RunError of `docker exec NODE kubeadm join`,
// and joins run concurrently.
func kindJoinError(t *testing.T, fixture string) error {
	t.Helper()
	out, err := os.ReadFile(filepath.Join("testdata", fixture))
	if err != nil {
		t.Fatal(err)
	}
	run := kinderrors.WithStack(&exec.RunError{
		Command: []string{"docker", "exec", "--privileged", "stsconform-worker3", "kubeadm", "join", "--config", "/kind/kubeadm.conf", "--v=6"},
		Output:  out,
		Inner:   kinderrors.New("exit status 1"),
	})
	return kinderrors.UntilErrorConcurrent([]func() error{
		func() error { return kinderrors.Wrap(run, "failed to join node with kubeadm") },
	})
}

func TestDescribeCreateErrorPutsKubeadmsCauseInTheFirstLine(t *testing.T) {
	err := kindJoinError(t, "kubeadm-join-kubelet-start.txt")
	if strings.Contains(err.Error(), "connection refused") {
		t.Fatal("the fixture must reproduce kind's message, which lacks the cause")
	}
	f := DescribeCreateError(err)
	want := `failed to join node with kubeadm on stsconform-worker3: error execution phase kubelet-start: failed while waiting for the kubelet to start: The HTTP call equal to 'curl -sSL http://127.0.0.1:10248/healthz' returned error: Get "http://127.0.0.1:10248/healthz": dial tcp 127.0.0.1:10248: connect: connection refused`
	if f.Summary() != want {
		t.Fatalf("summary:\n  want %s\n  got  %s", want, f.Summary())
	}
	d := f.Details()
	if !strings.HasPrefix(d, "command: docker exec --privileged stsconform-worker3 kubeadm join --config /kind/kubeadm.conf --v=6\n") ||
		!strings.Contains(d, "runtime.goexit") || !strings.Contains(d, "last 25 lines of its output:") {
		t.Fatalf("details lack the command or the output's end:\n%s", d)
	}
}

func TestDescribeCreateErrorPreflight(t *testing.T) {
	f := DescribeCreateError(kindJoinError(t, "kubeadm-join-preflight.txt"))
	want := []string{
		"error execution phase preflight: [preflight] Some fatal errors occurred:",
		"[ERROR FileAvailable--etc-kubernetes-kubelet.conf]: /etc/kubernetes/kubelet.conf already exists",
		"[ERROR Port-10250]: Port 10250 is in use",
	}
	if strings.Join(f.Cause, "|") != strings.Join(want, "|") {
		t.Fatalf("cause:\n  want %q\n  got  %q", want, f.Cause)
	}
}

func TestDescribeCreateErrorWithoutKubeadm(t *testing.T) {
	// docker run of a node: the daemon's own line is the cause.
	run := kinderrors.WithStack(&exec.RunError{
		Command: []string{"docker", "run", "--name", "stsconform-worker", "--hostname", "stsconform-worker", "localhost/stsconform/node:v1.34.3"},
		Output:  []byte("docker: Error response from daemon: Conflict. The container name \"/stsconform-worker\" is already in use.\nSee 'docker run --help'.\n"),
		Inner:   kinderrors.New("exit status 125"),
	})
	f := DescribeCreateError(kinderrors.Wrap(run, "failed to create nodes"))
	want := `failed to create nodes on stsconform-worker: docker: Error response from daemon: Conflict. The container name "/stsconform-worker" is already in use.`
	if f.Summary() != want {
		t.Fatalf("summary:\n  want %s\n  got  %s", want, f.Summary())
	}
	// kind's node provisioning returns the RunError unwrapped.
	f = DescribeCreateError(run)
	if !strings.HasPrefix(f.Summary(), "docker run failed on stsconform-worker: docker: Error response from daemon: Conflict.") {
		t.Fatalf("unwrapped: got %s", f.Summary())
	}
	// No output worth a line: the exit status at least.
	quiet := kinderrors.Wrap(kinderrors.WithStack(&exec.RunError{Command: []string{"docker", "exec", "n", "true"}, Inner: kinderrors.New("exit status 1")}), "failed to init node with kubeadm")
	if got := DescribeCreateError(quiet).Summary(); got != "failed to init node with kubeadm on n: exit status 1" {
		t.Fatalf("got %q", got)
	}
	// Not a command at all.
	if got := DescribeCreateError(kinderrors.New("node(s) already exist for a cluster with the name \"x\"")).Summary(); got != `node(s) already exist for a cluster with the name "x"` {
		t.Fatalf("got %q", got)
	}
}

func TestOutputCauseSkipsInfoLogsAndStackFrames(t *testing.T) {
	out := []string{
		`I1125 18:02:11.251245     312 round_trippers.go:632] "Response" verb="GET" status="" error="connection refused"`,
		`E1125 18:02:12.000000     312 join.go:99] failed to upload node config: the server was unable to handle the request`,
		`k8s.io/kubernetes/cmd/kubeadm/app/util/errors.Wrapf`,
		"\tk8s.io/kubernetes/cmd/kubeadm/app/util/errors/errors.go:60",
	}
	got := outputCause(out)
	if len(got) != 1 || got[0] != "failed to upload node config: the server was unable to handle the request" {
		t.Fatalf("got %q", got)
	}
}

func TestCommandNode(t *testing.T) {
	cases := map[string][]string{
		"w1": {"docker", "exec", "--privileged", "-i", "-e", "A=B", "w1", "kubeadm", "join"},
		"w2": {"docker", "run", "--hostname", "w2", "--name=w2", "img"},
		"":   {"kubectl", "get", "nodes"},
	}
	for want, argv := range cases {
		if got := commandNode(argv); got != want {
			t.Errorf("%v: want %q, got %q", argv, want, got)
		}
	}
}
