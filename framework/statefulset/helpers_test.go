package statefulset

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

// OwnClaims checks each pod's claim now and, for a pod it saw before, that
// the claim is the one it had.
func TestOwnClaims(t *testing.T) {
	pod := podWithVolume("web-1", claimVolume("data", "data-web-1"))
	bound := claim("data-web-1", corev1.ClaimBound)
	bound.UID = "uid-a"
	c := fake.NewClientset(pod, bound)
	in := ClaimsInput{Client: c, Namespace: "ns", Template: "data", Pods: []string{"web-1"}}
	claims, err := OwnClaims(context.Background(), in)
	if err != nil || claims["web-1"].UID != "uid-a" {
		t.Fatalf("OwnClaims = %v, %v", claims, err)
	}
	in.Kept = claims
	if _, err := OwnClaims(context.Background(), in); err != nil {
		t.Errorf("the same claim again: %v", err)
	}
	anew := bound.DeepCopy()
	anew.UID = "uid-b"
	in.Client = fake.NewClientset(pod, anew)
	if _, err := OwnClaims(context.Background(), in); err == nil || !strings.HasPrefix(err.Error(), "stable storage: pod ns/web-1 mounts claim data-web-1 uid uid-b") {
		t.Errorf("a claim made anew: %v", err)
	}
	in.Pods = []string{"web-2"}
	if _, err := OwnClaims(context.Background(), in); err == nil || !strings.Contains(err.Error(), "reading pod ns/web-2 for its claim") {
		t.Errorf("a pod that is not there: %v", err)
	}
}

func setPod(set *appsv1.StatefulSet, name, revision, node string, deleting bool) *corev1.Pod {
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: set.Namespace, Name: name, Labels: map[string]string{"app": set.Name, appsv1.StatefulSetRevisionLabel: revision}},
		Spec: corev1.PodSpec{NodeName: node}}
	if deleting {
		now := metav1.Now()
		p.DeletionTimestamp = &now
		p.Finalizers = []string{"x"}
	}
	return p
}

func TestPodRevisionsAndNodes(t *testing.T) {
	set, _ := New("ns", "web", "web:1")
	c := fake.NewClientset(setPod(set, "web-0", "r1", "n1", false), setPod(set, "web-1", "r2", "n2", true))
	revs, err := PodRevisions(context.Background(), c, set)
	if err != nil || revs["web-0"] != "r1" || revs["web-1"] != "r2" || len(revs) != 2 {
		t.Errorf("PodRevisions = %v, %v", revs, err)
	}
	nodes, err := PodNodes(context.Background(), c, set)
	if err != nil || len(nodes) != 1 || nodes["web-0"] != "n1" {
		t.Errorf("PodNodes (a terminating pod is not live) = %v, %v", nodes, err)
	}
}

func TestHistoryLines(t *testing.T) {
	got := HistoryLines([]Revision{{Number: 1, Name: "web-a", Image: "web:1"}, {Number: 2, Name: "web-b", Image: "web:2"}})
	if !slices.Equal(got, []string{"revision 1 web-a image web:1", "revision 2 web-b image web:2"}) {
		t.Errorf("HistoryLines = %q", got)
	}
}

func TestPinnedPod(t *testing.T) {
	p := PinnedPod("ns", "mesh-0", "mesh", "kind-worker", "web:1")
	if p.Spec.NodeName != "kind-worker" || p.Spec.Hostname != "mesh-0" || p.Spec.Subdomain != "mesh" || p.Labels["app"] != "mesh" ||
		p.Spec.Containers[0].Name != Container || p.Spec.Containers[0].ReadinessProbe.HTTPGet == nil || p.Spec.Containers[0].ReadinessProbe.HTTPGet.Path != "/version" {
		t.Errorf("PinnedPod = %+v", p)
	}
}

// ReplacePod waits for the recording to show the new incarnation Ready,
// and fails naming it when it never comes.
func TestReplacePodWaitsForTheNewIncarnation(t *testing.T) {
	set, _ := New("ns", "web", "web:1")
	old := setPod(set, "web-0", "r1", "n1", false)
	old.UID = types.UID("old")
	c := fake.NewClientset(old)
	rec, err := timelineOf(t, c)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ReplacePod(context.Background(), ReplaceInput{Client: c, Recorder: rec, Namespace: "ns", Pod: "web-0", Timeout: 100 * time.Millisecond})
	if err == nil || !strings.HasPrefix(err.Error(), "waiting 100ms for a new web-0 Ready; timeline so far:") || !strings.Contains(err.Error(), "deleted web-0 (uid old") {
		t.Errorf("ReplacePod with no controller to recreate the pod = %v", err)
	}
	if _, err := ReplacePod(context.Background(), ReplaceInput{Client: c, Recorder: rec, Namespace: "ns", Pod: "web-0", Timeout: time.Millisecond}); err == nil ||
		!strings.Contains(err.Error(), "reading pod ns/web-0 before deleting it") {
		t.Errorf("ReplacePod of a pod that is gone = %v", err)
	}
}

func TestScaleAgrees(t *testing.T) {
	set, _ := New("ns", "web", "web:1", WithReplicas(2))
	set.Status.Replicas = 2
	scaleOf := func(replicas int32) *fake.Clientset {
		c := fake.NewClientset(set)
		c.PrependReactor("get", "statefulsets", func(a k8stesting.Action) (bool, runtime.Object, error) {
			if a.GetSubresource() != "scale" {
				return false, nil, nil
			}
			return true, &autoscalingv1.Scale{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "web"},
				Spec: autoscalingv1.ScaleSpec{Replicas: replicas}, Status: autoscalingv1.ScaleStatus{Replicas: 2, Selector: "app=web"}}, nil
		})
		return c
	}
	if err := ScaleAgrees(context.Background(), scaleOf(2), "ns", "web"); err != nil {
		t.Errorf("a scale that agrees: %v", err)
	}
	if err := ScaleAgrees(context.Background(), scaleOf(3), "ns", "web"); err == nil || !strings.Contains(err.Error(), "spec.replicas 3, the StatefulSet's 2") {
		t.Errorf("a scale that disagrees: %v", err)
	}
}
