package imagecheck

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/stsconform/stsconform/framework/images"
)

const ns = "image-check-x"

// kubelet scripts what the node reports for each image: the status a pod
// of that image has as soon as it exists.
func kubelet(byImage map[string]corev1.ContainerState) *fake.Clientset {
	c := fake.NewClientset()
	n := 0
	c.PrependReactor("create", "pods", func(a k8stesting.Action) (bool, runtime.Object, error) {
		p := a.(k8stesting.CreateAction).GetObject().(*corev1.Pod)
		// The fake does not generate names.
		n++
		p.Name = p.GenerateName + string(rune('a'+n))
		p.Spec.NodeName = "kind-worker"
		if st, ok := byImage[p.Spec.Containers[0].Image]; ok {
			p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "image", Image: p.Spec.Containers[0].Image, State: st}}
		}
		return false, nil, nil
	})
	return c
}

var (
	running    = corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}
	exited     = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 0, Reason: "Completed"}}
	startError = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 128, Reason: "StartError", Message: `exec: "sh": executable file not found in $PATH`}}
	noShell    = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "RunContainerError", Message: `exec: "sh": executable file not found`}}
	notFound   = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ErrImagePull", Message: "failed to pull and unpack image \"registry.example.com/web:1\":\n registry.example.com/web:1: not found"}}
	creating   = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ContainerCreating"}}
)

var set = images.Set{
	images.Busybox: "registry.example.com/busybox:1",
	images.WebV1:   "registry.example.com/web:1",
	images.WebV2:   "registry.example.com/web:2",
}

func check(t *testing.T, c *fake.Clientset, timeout time.Duration) error {
	t.Helper()
	err := CheckPullable(context.Background(), c, ns, set, timeout, 5*time.Millisecond)
	left, lerr := c.CoreV1().Pods(ns).List(context.Background(), metav1.ListOptions{})
	if lerr != nil {
		t.Fatal(lerr)
	}
	if len(left.Items) != 0 {
		t.Errorf("the check left %d pods behind", len(left.Items))
	}
	return err
}

func TestEveryImagePulled(t *testing.T) {
	c := kubelet(map[string]corev1.ContainerState{
		"registry.example.com/busybox:1": exited,
		"registry.example.com/web:1":     running,
		"registry.example.com/web:2":     startError, // pulled, no sh: still pulled
	})
	if err := check(t, c, time.Second); err != nil {
		t.Fatalf("CheckPullable: %v", err)
	}
	var pods int
	for _, a := range c.Actions() {
		if cr, ok := a.(k8stesting.CreateAction); ok && a.GetResource().Resource == "pods" {
			pods++
			p := cr.GetObject().(*corev1.Pod)
			ctr := p.Spec.Containers[0]
			if p.Spec.RestartPolicy != corev1.RestartPolicyNever || ctr.ImagePullPolicy != corev1.PullIfNotPresent ||
				strings.Join(ctr.Command, " ") != "sh -c exit 0" || p.Labels["app.kubernetes.io/managed-by"] != "stsconform" {
				t.Errorf("check pod %s: %+v", p.Name, p.Spec)
			}
		}
	}
	if pods != len(set) {
		t.Errorf("%d check pods for %d roles", pods, len(set))
	}
}

func TestWaitingAfterPullCountsAsPulled(t *testing.T) {
	c := kubelet(map[string]corev1.ContainerState{
		"registry.example.com/busybox:1": noShell,
		"registry.example.com/web:1":     noShell,
		"registry.example.com/web:2":     noShell,
	})
	if err := check(t, c, time.Second); err != nil {
		t.Fatalf("CheckPullable: %v", err)
	}
}

func TestPullErrorIsOneLine(t *testing.T) {
	c := kubelet(map[string]corev1.ContainerState{
		"registry.example.com/busybox:1": running,
		"registry.example.com/web:1":     notFound,
		"registry.example.com/web:2":     creating,
	})
	start := time.Now()
	err := check(t, c, time.Minute)
	if err == nil {
		t.Fatal("a pull error passed")
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("a pull error took %s: it must fail fast", time.Since(start))
	}
	want := `image web-v1=registry.example.com/web:1 cannot be pulled on node kind-worker: ErrImagePull: failed to pull and unpack image "registry.example.com/web:1": registry.example.com/web:1: not found`
	if err.Error() != want {
		t.Errorf("error\n got: %s\nwant: %s", err, want)
	}
}

func TestTimeoutNamesTheWaitingImages(t *testing.T) {
	c := kubelet(map[string]corev1.ContainerState{
		"registry.example.com/busybox:1": running,
		"registry.example.com/web:1":     creating,
		// web:2 has no status at all: not scheduled yet.
	})
	err := check(t, c, 50*time.Millisecond)
	if err == nil {
		t.Fatal("pending images passed")
	}
	msg := err.Error()
	for _, s := range []string{"not pulled within 50ms", "web-v1=registry.example.com/web:1", "ContainerCreating", "web-v2=registry.example.com/web:2"} {
		if !strings.Contains(msg, s) {
			t.Errorf("timeout error lacks %q: %s", s, msg)
		}
	}
	if strings.Contains(msg, "busybox") || strings.Contains(msg, "\n") {
		t.Errorf("timeout error names a pulled image or spans lines: %s", msg)
	}
}
