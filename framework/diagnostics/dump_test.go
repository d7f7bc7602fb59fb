package diagnostics

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	clienttesting "k8s.io/client-go/testing"
	"sigs.k8s.io/yaml"
)

const ns = "sts"

var epoch = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

func objects() []runtime.Object {
	meta := func(name string) metav1.ObjectMeta { return metav1.ObjectMeta{Namespace: ns, Name: name} }
	return []runtime.Object{
		&corev1.Pod{
			ObjectMeta: meta("web-0"),
			Spec: corev1.PodSpec{
				InitContainers: []corev1.Container{{Name: "init"}},
				Containers:     []corev1.Container{{Name: "nginx"}},
			},
			Status: corev1.PodStatus{ContainerStatuses: []corev1.ContainerStatus{{Name: "nginx", RestartCount: 2}}},
		},
		&corev1.Pod{ObjectMeta: meta("web-1"), Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "nginx"}}}},
		&appsv1.StatefulSet{ObjectMeta: meta("web")},
		&appsv1.ControllerRevision{ObjectMeta: meta("web-5d4f8"), Revision: 1},
		&corev1.PersistentVolumeClaim{ObjectMeta: meta("www-web-0")},
		&corev1.PersistentVolume{
			ObjectMeta: metav1.ObjectMeta{Name: "pv-ours"},
			Spec:       corev1.PersistentVolumeSpec{ClaimRef: &corev1.ObjectReference{Namespace: ns, Name: "www-web-0"}},
		},
		&corev1.PersistentVolume{
			ObjectMeta: metav1.ObjectMeta{Name: "pv-theirs"},
			Spec:       corev1.PersistentVolumeSpec{ClaimRef: &corev1.ObjectReference{Namespace: "other", Name: "data"}},
		},
		&corev1.PersistentVolume{ObjectMeta: metav1.ObjectMeta{Name: "pv-unbound"}},
		&policyv1.PodDisruptionBudget{ObjectMeta: meta("web")},
		&corev1.Node{
			ObjectMeta: metav1.ObjectMeta{Name: "kind-worker"},
			Spec: corev1.NodeSpec{
				Unschedulable: true,
				Taints:        []corev1.Taint{{Key: "node.kubernetes.io/out-of-service", Value: "nodeshutdown", Effect: corev1.TaintEffectNoExecute}},
			},
			Status: corev1.NodeStatus{
				Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionUnknown, Reason: "NodeStatusUnknown", LastTransitionTime: metav1.NewTime(epoch)}},
				Addresses:  []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "172.18.0.3"}, {Type: corev1.NodeHostName, Address: "kind-worker"}},
			},
		},
		// Events out of order, each dated by a different field.
		&corev1.Event{
			ObjectMeta:     meta("e-late"),
			InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "web-1"},
			Type:           "Warning", Reason: "FailedScheduling", Message: "0/3 nodes are available:\n1 node(s) were unschedulable.",
			LastTimestamp: metav1.NewTime(epoch.Add(3 * time.Second)), FirstTimestamp: metav1.NewTime(epoch), Count: 4,
		},
		&corev1.Event{
			ObjectMeta:     meta("e-first"),
			InvolvedObject: corev1.ObjectReference{Kind: "StatefulSet", Name: "web"},
			Type:           "Normal", Reason: "SuccessfulCreate", Message: "create Pod web-0 in StatefulSet web successful",
			FirstTimestamp: metav1.NewTime(epoch.Add(1 * time.Second)),
		},
		&corev1.Event{
			ObjectMeta:     meta("e-middle"),
			InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "web-0"},
			Type:           "Normal", Reason: "Scheduled", Message: "Successfully assigned sts/web-0 to kind-worker",
			EventTime: metav1.NewMicroTime(epoch.Add(2 * time.Second)),
		},
	}
}

func read(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDumpWritesEverything(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "artifacts", "spec-1")
	err := Dump(context.Background(), DumpInput{Client: fake.NewClientset(objects()...), Namespace: ns, Dir: dir, Nodes: true})
	if err != nil {
		t.Fatal(err)
	}

	events := strings.Split(strings.TrimSpace(read(t, dir, "events.txt")), "\n")
	want := []string{
		"2030-01-02T03:04:06.000000Z Normal SuccessfulCreate StatefulSet/web: create Pod web-0 in StatefulSet web successful",
		"2030-01-02T03:04:07.000000Z Normal Scheduled Pod/web-0: Successfully assigned sts/web-0 to kind-worker",
		"2030-01-02T03:04:08.000000Z Warning FailedScheduling Pod/web-1: 0/3 nodes are available: 1 node(s) were unschedulable. (x4)",
	}
	if strings.Join(events, "\n") != strings.Join(want, "\n") {
		t.Errorf("events.txt:\n%s\nwant:\n%s", strings.Join(events, "\n"), strings.Join(want, "\n"))
	}

	var pods struct {
		Kind  string       `json:"kind"`
		Items []corev1.Pod `json:"items"`
	}
	if err := yaml.Unmarshal([]byte(read(t, dir, "pods.yaml")), &pods); err != nil {
		t.Fatal(err)
	}
	if pods.Kind != "List" || len(pods.Items) != 2 || pods.Items[0].Kind != "Pod" || pods.Items[0].APIVersion != "v1" {
		t.Errorf("pods.yaml: kind %q, %d items, first %s/%s", pods.Kind, len(pods.Items), pods.Items[0].APIVersion, pods.Items[0].Kind)
	}

	for file, wants := range map[string][]string{
		"statefulsets.yaml":         {"kind: StatefulSet", "apiVersion: apps/v1", "name: web"},
		"controllerrevisions.yaml":  {"kind: ControllerRevision", "name: web-5d4f8"},
		"pvcs.yaml":                 {"kind: PersistentVolumeClaim", "name: www-web-0"},
		"pvs.yaml":                  {"name: pv-ours"},
		"poddisruptionbudgets.yaml": {"kind: PodDisruptionBudget", "apiVersion: policy/v1"},
		"nodes.txt": {
			"kind-worker Ready=Unknown (NodeStatusUnknown, since 2030-01-02T03:04:05Z) unschedulable=true",
			"taints: node.kubernetes.io/out-of-service=nodeshutdown:NoExecute",
			"addresses: InternalIP=172.18.0.3 Hostname=kind-worker",
		},
	} {
		got := read(t, dir, file)
		for _, w := range wants {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %q:\n%s", file, w, got)
			}
		}
	}
	if pvs := read(t, dir, "pvs.yaml"); strings.Contains(pvs, "pv-theirs") || strings.Contains(pvs, "pv-unbound") {
		t.Errorf("pvs.yaml holds volumes of other namespaces:\n%s", pvs)
	}

	logs, err := os.ReadDir(filepath.Join(dir, "logs"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range logs {
		names = append(names, e.Name())
	}
	wantLogs := "web-0_init.log web-0_nginx.log web-0_nginx_previous.log web-1_nginx.log"
	if strings.Join(names, " ") != wantLogs {
		t.Errorf("logs/ = %v, want %s", names, wantLogs)
	}
	// The fake clientset serves a fixed body; a real one serves the log.
	if got := read(t, dir, "logs/web-1_nginx.log"); got == "" {
		t.Error("empty log file")
	}
}

func TestDumpWithoutNodesWritesNoNodesFile(t *testing.T) {
	dir := t.TempDir()
	if err := Dump(context.Background(), DumpInput{Client: fake.NewClientset(), Namespace: ns, Dir: dir}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "nodes.txt")); !os.IsNotExist(err) {
		t.Errorf("nodes.txt written without Nodes: %v", err)
	}
	if got := read(t, dir, "pvs.yaml"); !strings.Contains(got, "items: []") {
		t.Errorf("an empty list must still be written:\n%s", got)
	}
}

func TestDumpKeepsGoingAndJoinsErrors(t *testing.T) {
	c := fake.NewClientset(objects()...)
	for _, res := range []string{"statefulsets", "events"} {
		c.PrependReactor("list", res, func(clienttesting.Action) (bool, runtime.Object, error) {
			return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: res}, "", errors.New("RBAC says no"))
		})
	}
	dir := t.TempDir()
	err := Dump(context.Background(), DumpInput{Client: c, Namespace: ns, Dir: dir, Nodes: true})
	if err == nil {
		t.Fatal("want the failures reported")
	}
	for _, want := range []string{"listing statefulsets", "listing events", "RBAC says no", "namespace sts"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if !apierrors.IsForbidden(err) {
		t.Error("the API errors must stay reachable through the joined error")
	}
	for _, f := range []string{"pods.yaml", "controllerrevisions.yaml", "pvcs.yaml", "pvs.yaml", "poddisruptionbudgets.yaml", "nodes.txt", "logs/web-0_nginx.log"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s not written after earlier failures: %v", f, err)
		}
	}
}

func TestDumpRejectsIncompleteInput(t *testing.T) {
	if err := Dump(context.Background(), DumpInput{Client: fake.NewClientset(), Namespace: ns}); err == nil {
		t.Error("want an error without Dir")
	}
}

func TestUnreadableLogIsNotedNotReported(t *testing.T) {
	path := filepath.Join(t.TempDir(), "web-0_nginx.log")
	err := writeLog(path, func() (io.ReadCloser, error) {
		return nil, errors.New(`container "nginx" in pod "web-0" is waiting to start: ContainerCreating`)
	})
	if err != nil {
		t.Fatalf("an unreadable log must not be an error: %v", err)
	}
	got, _ := os.ReadFile(path)
	if !strings.Contains(string(got), "logs unavailable") || !strings.Contains(string(got), "waiting to start") {
		t.Errorf("file does not note why: %q", got)
	}
}

func TestEventTimeFallbacks(t *testing.T) {
	series := corev1.Event{
		EventTime: metav1.NewMicroTime(epoch),
		Series:    &corev1.EventSeries{Count: 3, LastObservedTime: metav1.NewMicroTime(epoch.Add(time.Minute))},
	}
	if got := eventTime(series); !got.Equal(epoch.Add(time.Minute)) {
		t.Errorf("series event time = %v", got)
	}
	created := corev1.Event{ObjectMeta: metav1.ObjectMeta{CreationTimestamp: metav1.NewTime(epoch)}}
	if got := eventTime(created); !got.Equal(epoch) {
		t.Errorf("creation fallback = %v", got)
	}
	if got := formatEvents([]corev1.Event{{Reason: "X", InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "p"}}}); !strings.HasPrefix(got, "- ") {
		t.Errorf("undated event = %q", got)
	}
}
