package statefulset

import (
	"context"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/utils/ptr"
)

func podWithVolume(name string, volume corev1.Volume) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name},
		Spec: corev1.PodSpec{Volumes: []corev1.Volume{
			{Name: "kube-api-access", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{}}},
			volume,
		}},
	}
}

func claimVolume(name, claim string) corev1.Volume {
	return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: claim}}}
}

func claim(name string, phase corev1.PersistentVolumeClaimPhase) *corev1.PersistentVolumeClaim {
	return &corev1.PersistentVolumeClaim{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name},
		Spec:       corev1.PersistentVolumeClaimSpec{StorageClassName: ptr.To("standard"), VolumeName: "pvc-123"},
		Status:     corev1.PersistentVolumeClaimStatus{Phase: phase},
	}
}

func TestVolumeOfClaim(t *testing.T) {
	if got, err := VolumeOfClaim(podWithVolume("web-1", claimVolume("data", "data-web-1")), "data"); err != nil || got != "data-web-1" {
		t.Errorf("VolumeOfClaim = %q, %v", got, err)
	}
	_, err := VolumeOfClaim(podWithVolume("web-1", corev1.Volume{Name: "data", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}), "data")
	if err == nil || !strings.Contains(err.Error(), `pod ns/web-1: volume "data" is not backed by a PersistentVolumeClaim`) {
		t.Errorf("emptyDir: %v", err)
	}
	_, err = VolumeOfClaim(podWithVolume("web-1", claimVolume("other", "x")), "data")
	if err == nil || !strings.Contains(err.Error(), `pod ns/web-1 has no volume "data" (its volumes: kube-api-access, other)`) {
		t.Errorf("missing volume: %v", err)
	}
}

func TestCheckClaim(t *testing.T) {
	pod := podWithVolume("web-1", claimVolume("data", "data-web-1"))
	deleting := claim("data-web-1", corev1.ClaimBound)
	deleting.DeletionTimestamp = &metav1.Time{}
	cases := []struct {
		name  string
		pod   *corev1.Pod
		claim *corev1.PersistentVolumeClaim
		want  string
	}{
		{"bound, its own", pod, claim("data-web-1", corev1.ClaimBound), ""},
		{"pending", pod, claim("data-web-1", corev1.ClaimPending), "claim data-web-1 of pod ns/web-1 is Pending, not Bound (storage class standard, volume \"pvc-123\")"},
		{"lost", pod, claim("data-web-1", corev1.ClaimLost), "is Lost, not Bound"},
		{"being deleted", pod, deleting, "claim data-web-1 of pod ns/web-1 is being deleted (phase Bound)"},
		{"not found", pod, nil, "claim data-web-1 of pod ns/web-1 not found"},
		{"another pod's claim mounted", podWithVolume("web-1", claimVolume("data", "data-web-0")), claim("data-web-0", corev1.ClaimBound),
			`pod ns/web-1 mounts claim data-web-0 as volume "data", not its own claim data-web-1`},
		{"another claim checked", pod, claim("data-web-0", corev1.ClaimBound), "pod ns/web-1: checked claim data-web-0, but its volume \"data\" is claim data-web-1"},
	}
	for _, c := range cases {
		err := CheckClaim(c.pod, "data", c.claim)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v\nwant %q", c.name, err, c.want)
		}
	}
}

func TestBoundClaim(t *testing.T) {
	pod := podWithVolume("web-1", claimVolume("data", "data-web-1"))
	c := fake.NewClientset(claim("data-web-1", corev1.ClaimPending))
	if _, err := BoundClaim(context.Background(), c, pod, "data"); err == nil || !strings.Contains(err.Error(), "is Pending, not Bound") {
		t.Errorf("pending claim: %v", err)
	}
	if _, err := BoundClaim(context.Background(), fake.NewClientset(), pod, "data"); err == nil || !strings.Contains(err.Error(), "data-web-1 of pod ns/web-1 not found") {
		t.Errorf("missing claim: %v", err)
	}
	got, err := BoundClaim(context.Background(), fake.NewClientset(claim("data-web-1", corev1.ClaimBound)), pod, "data")
	if err != nil || got.Name != "data-web-1" {
		t.Errorf("bound claim: %v, %v", got, err)
	}
}

func TestSameClaim(t *testing.T) {
	pod := podWithVolume("web-1", claimVolume("data", "data-web-1"))
	kept := claim("data-web-1", corev1.ClaimBound)
	kept.UID = "uid-a"
	if err := SameClaim(pod, "uid-a", kept); err != nil {
		t.Errorf("kept claim: %v", err)
	}
	anew := claim("data-web-1", corev1.ClaimBound)
	anew.UID = "uid-b"
	err := SameClaim(pod, "uid-a", anew)
	if err == nil || !strings.HasPrefix(err.Error(), "stable storage: pod ns/web-1 mounts claim data-web-1 uid uid-b, not the claim of that name it had (uid uid-a)") {
		t.Errorf("claim made anew: %v", err)
	}
}
