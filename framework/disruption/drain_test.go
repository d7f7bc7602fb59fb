package disruption

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func TestDrainCordonsAndEvictsAllButDaemonSets(t *testing.T) {
	c := fake.NewClientset(
		node("kind-worker", false),
		pod("sts", "web-0", "kind-worker", "StatefulSet"),
		pod("kube-system", "kindnet-x", "kind-worker", "DaemonSet"),
		// The drain library checks that a DaemonSet owner exists.
		&appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Namespace: "kube-system", Name: "owner"}},
	)
	withEviction(c)
	evictionsDelete(c)
	var out, errOut bytes.Buffer
	ctx := context.Background()
	err := Drain(ctx, DrainInput{Client: c, Node: "kind-worker", Timeout: 10 * time.Second, Out: &out, ErrOut: &errOut})
	if err != nil {
		t.Fatalf("Drain: %v\nstderr: %s", err, errOut.String())
	}
	n, _ := c.CoreV1().Nodes().Get(ctx, "kind-worker", metav1.GetOptions{})
	if !n.Spec.Unschedulable {
		t.Error("node not cordoned")
	}
	if _, err := c.CoreV1().Pods("sts").Get(ctx, "web-0", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("web-0 still there: %v", err)
	}
	if _, err := c.CoreV1().Pods("kube-system").Get(ctx, "kindnet-x", metav1.GetOptions{}); err != nil {
		t.Errorf("DaemonSet pod must be left alone: %v", err)
	}
	if !strings.Contains(out.String(), `evicting pod sts/web-0`) {
		t.Errorf("progress not written to Out: %q", out.String())
	}
}

func TestDrainBlockedByPDBSaysWhichPodAndWhy(t *testing.T) {
	c := fake.NewClientset(node("kind-worker", false), pod("sts", "web-1", "kind-worker", "StatefulSet"))
	withEviction(c)
	evictionsRefused(c, pdbRefusal())
	err := Drain(context.Background(), DrainInput{
		Client: c, Node: "kind-worker", Timeout: 300 * time.Millisecond, EvictRetryDelay: 50 * time.Millisecond,
	})
	if err == nil {
		t.Fatal("Drain succeeded despite the PDB")
	}
	t.Log(err)
	for _, want := range []string{"kind-worker", `"web-1"`, "global timeout", "disruption budget"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestDrainRefusesBarePodsUnlessForced(t *testing.T) {
	newClient := func() *fake.Clientset {
		c := fake.NewClientset(node("kind-worker", false), pod("sts", "dns-probe", "kind-worker", ""))
		withEviction(c)
		evictionsDelete(c)
		return c
	}
	err := Drain(context.Background(), DrainInput{Client: newClient(), Node: "kind-worker", Timeout: 5 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "sts/dns-probe") {
		t.Fatalf("want a refusal naming the bare pod, got %v", err)
	}
	if err := Drain(context.Background(), DrainInput{Client: newClient(), Node: "kind-worker", Timeout: 5 * time.Second, Force: true}); err != nil {
		t.Fatalf("forced drain: %v", err)
	}
}

func TestDrainUnknownNode(t *testing.T) {
	err := Drain(context.Background(), DrainInput{Client: fake.NewClientset(), Node: "nope"})
	if !apierrors.IsNotFound(err) || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("got %v", err)
	}
}

func TestUncordon(t *testing.T) {
	c := fake.NewClientset(node("kind-worker", true))
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if err := Uncordon(ctx, c, "kind-worker"); err != nil {
			t.Fatalf("Uncordon #%d: %v", i+1, err)
		}
		n, _ := c.CoreV1().Nodes().Get(ctx, "kind-worker", metav1.GetOptions{})
		if n.Spec.Unschedulable {
			t.Fatalf("node still cordoned after Uncordon #%d", i+1)
		}
	}
}
