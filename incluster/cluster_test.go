package incluster

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/stsconform/stsconform/framework/kube"
)

func runnerPod(states map[string]corev1.ContainerState, conds ...corev1.PodCondition) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "runner-x"},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: RunnerContainer, Image: "reg.example/runner:1"}}},
		Status:     corev1.PodStatus{Conditions: conds},
	}
	for name, st := range states {
		p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, corev1.ContainerStatus{Name: name, State: st})
	}
	return p
}

func waiting(reason, msg string) corev1.ContainerState {
	return corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason, Message: msg}}
}

func TestStartFailure(t *testing.T) {
	now := time.Now()
	unsched := func(since time.Duration) corev1.PodCondition {
		return corev1.PodCondition{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: corev1.PodReasonUnschedulable,
			Message: "0/5 nodes are available", LastTransitionTime: metav1.NewTime(now.Add(-since))}
	}
	cases := []struct {
		name string
		pod  *corev1.Pod
		want string // "" : may still start
	}{
		{"no pod yet", nil, ""},
		{"pulling", runnerPod(map[string]corev1.ContainerState{RunnerContainer: waiting("ContainerCreating", "")}), ""},
		{"image not found", runnerPod(map[string]corev1.ContainerState{RunnerContainer: waiting("ErrImagePull", "not found")}), "cannot pull its image reg.example/runner:1: ErrImagePull: not found"},
		{"back-off", runnerPod(map[string]corev1.ContainerState{RunnerContainer: waiting("ImagePullBackOff", "Back-off")}), "cannot pull"},
		{"bad config", runnerPod(map[string]corev1.ContainerState{ResultsContainer: waiting("CreateContainerConfigError", "configmap not found")}), "cannot start container results"},
		{"unschedulable a moment", runnerPod(nil, unsched(10*time.Second)), ""},
		{"unschedulable for long", runnerPod(nil, unsched(2*time.Minute)), "no node to run on after 1m0s: 0/5 nodes are available"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := StartFailure(c.pod, time.Minute, now)
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("StartFailure = %v, want none yet", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("StartFailure = %v, want %q", err, c.want)
			}
		})
	}
}

func TestRunnerExit(t *testing.T) {
	running := runnerPod(map[string]corev1.ContainerState{RunnerContainer: {Running: &corev1.ContainerStateRunning{}}})
	if _, ended := RunnerExit(running); ended || !RunnerStarted(running) {
		t.Fatal("a running runner is started and not ended")
	}
	// The results container ending says nothing about the run.
	other := runnerPod(map[string]corev1.ContainerState{ResultsContainer: {Terminated: &corev1.ContainerStateTerminated{ExitCode: 0}}})
	if _, ended := RunnerExit(other); ended {
		t.Fatal("the results container's end was read as the runner's")
	}
	failed := runnerPod(map[string]corev1.ContainerState{RunnerContainer: {Terminated: &corev1.ContainerStateTerminated{ExitCode: 1}}})
	if code, ended := RunnerExit(failed); !ended || code != 1 {
		t.Fatalf("RunnerExit = %d, %v; want 1, true", code, ended)
	}
}

func tarOf(t *testing.T, files map[string]string) *bytes.Buffer {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for name, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		_, _ = tw.Write([]byte(body))
	}
	_ = tw.Close()
	return &b
}

func TestUntar(t *testing.T) {
	dest := t.TempDir()
	if err := Untar(tarOf(t, map[string]string{"./junit_01.xml": "<testsuites/>", "./timelines/a.json": "{}"}), dest); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dest, "timelines", "a.json")); err != nil || string(b) != "{}" {
		t.Fatalf("timelines/a.json = %q, %v", b, err)
	}
	for _, evil := range []string{"../escape", "/etc/passwd", "a/../../escape"} {
		if err := Untar(tarOf(t, map[string]string{evil: "x"}), dest); err == nil || !strings.Contains(err.Error(), "leaves the results directory") {
			t.Errorf("%s: error %v, want a refusal", evil, err)
		}
	}
}

func TestRemoveLeftoversTouchesOnlyRunners(t *testing.T) {
	o := testObjects(t)
	other := &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: "stsconform-shared-path-provisioner", Labels: map[string]string{kube.ManagedByLabel: kube.ManagedBy}}}
	c := fake.NewClientset(o.ClusterRole, o.Binding, other)
	gone, err := RemoveLeftovers(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if len(gone) != 2 {
		t.Fatalf("removed %v, want the run's ClusterRole and binding", gone)
	}
	if _, err := c.RbacV1().ClusterRoles().Get(context.Background(), other.Name, metav1.GetOptions{}); err != nil {
		t.Fatalf("a ClusterRole of no runner was removed: %v", err)
	}
}

func TestApplyRefusedLeavesNothingAndRemoveOnlyWhatItMade(t *testing.T) {
	o := testObjects(t)
	c := fake.NewClientset()
	c.PrependReactor("create", "clusterroles", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(rbacv1.Resource("clusterroles"), o.ClusterRole.Name, errors.New("no escalate"))
	})
	c.PrependReactor("delete", "*", func(a k8stesting.Action) (bool, runtime.Object, error) {
		t.Errorf("Remove deleted %s, which Apply never created", a.GetResource().Resource)
		return true, nil, nil
	})
	err := Apply(context.Background(), c, o)
	if err == nil || !strings.HasPrefix(err.Error(), "the cluster refuses to let these credentials create ClusterRole") {
		t.Fatalf("Apply = %v, want one line naming the refused ClusterRole", err)
	}
	if err := Remove(context.Background(), c, o); err != nil {
		t.Fatal(err)
	}
}
