package nodefailure

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestStopAndStartRunDocker(t *testing.T) {
	s := &scriptedCmder{output: "kind-worker\n"}
	r := Runtime{Cmder: s}
	if err := r.Stop(context.Background(), "kind-worker"); err != nil {
		t.Fatal(err)
	}
	if err := r.Start(context.Background(), "kind-worker"); err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"docker", "stop", "-t", "0", "kind-worker"}, {"docker", "start", "kind-worker"}}
	if !slices.EqualFunc(s.ran, want, slices.Equal) {
		t.Errorf("ran %q, want %q", s.ran, want)
	}
}

func TestFailureCarriesCommandAndOutput(t *testing.T) {
	s := &scriptedCmder{output: "Error response from daemon: No such container: kind-worker9\n", fail: true}
	err := Runtime{Cmder: s, Binary: "podman"}.Start(context.Background(), "kind-worker9")
	if err == nil {
		t.Fatal("expected an error")
	}
	for _, want := range []string{"podman start kind-worker9", "exit status 1", "No such container: kind-worker9"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestIsKindNode(t *testing.T) {
	cases := []struct {
		name    string
		output  string
		fail    bool
		want    bool
		wantErr bool
	}{
		{"kind node", `{"io.x-k8s.kind.cluster":"kind","io.x-k8s.kind.role":"worker"}`, false, true, false},
		{"other container", `{"maintainer":"someone"}`, false, false, false},
		{"no labels", `null`, false, false, false},
		{"no such container", "Error: No such container: gke-node-1", true, false, false},
		{"daemon unreachable", "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?", true, false, true},
		{"garbage", "not json", false, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &scriptedCmder{output: tc.output + "\n", fail: tc.fail}
			got, err := Runtime{Cmder: s}.IsKindNode(context.Background(), "kind-worker")
			if got != tc.want || (err != nil) != tc.wantErr {
				t.Fatalf("IsKindNode = %v, %v; want %v, error %v", got, err, tc.want, tc.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), "docker inspect") {
				t.Errorf("error does not show the command: %v", err)
			}
			want := []string{"docker", "inspect", "--type", "container", "--format", "{{json .Config.Labels}}", "kind-worker"}
			if len(s.ran) != 1 || !slices.Equal(s.ran[0], want) {
				t.Errorf("ran %q", s.ran)
			}
		})
	}
}

// The real thing, only where docker is absent: the error must say so rather
// than claim the node is not a kind node.
func TestIsKindNodeWithoutDockerBinary(t *testing.T) {
	_, err := Runtime{Binary: "no-such-container-cli-for-tests"}.IsKindNode(context.Background(), "kind-worker")
	if err == nil || !strings.Contains(err.Error(), "no-such-container-cli-for-tests") {
		t.Fatalf("want an error naming the missing CLI, got %v", err)
	}
}
