package statefulset

import (
	"context"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
)

// ClaimName is the PersistentVolumeClaim the StatefulSet controller makes
// for a pod from a claim template: <template>-<pod>, e.g. data-web-0.
func ClaimName(claimTemplate, pod string) string { return claimTemplate + "-" + pod }

// VolumeOfClaim returns the claim behind the pod's volume of the claim
// template: the controller adds a volume named after the template that
// points at the pod's own claim.
func VolumeOfClaim(pod *corev1.Pod, claimTemplate string) (claimName string, err error) {
	var names []string
	for _, v := range pod.Spec.Volumes {
		if v.Name != claimTemplate {
			names = append(names, v.Name)
			continue
		}
		if v.PersistentVolumeClaim == nil {
			return "", fmt.Errorf("pod %s/%s: volume %q is not backed by a PersistentVolumeClaim", pod.Namespace, pod.Name, claimTemplate)
		}
		return v.PersistentVolumeClaim.ClaimName, nil
	}
	return "", fmt.Errorf("pod %s/%s has no volume %q (its volumes: %s)", pod.Namespace, pod.Name, claimTemplate, strings.Join(names, ", "))
}

// CheckClaim checks the stable storage of one pod at one moment: its volume
// of the claim template is the claim <template>-<pod>, and that claim is
// Bound and not being deleted. claim may be nil (not found).
func CheckClaim(pod *corev1.Pod, claimTemplate string, claim *corev1.PersistentVolumeClaim) error {
	want := ClaimName(claimTemplate, pod.Name)
	got, err := VolumeOfClaim(pod, claimTemplate)
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("pod %s/%s mounts claim %s as volume %q, not its own claim %s", pod.Namespace, pod.Name, got, claimTemplate, want)
	}
	switch {
	case claim == nil:
		return fmt.Errorf("claim %s of pod %s/%s not found", want, pod.Namespace, pod.Name)
	case claim.Name != want:
		return fmt.Errorf("pod %s/%s: checked claim %s, but its volume %q is claim %s", pod.Namespace, pod.Name, claim.Name, claimTemplate, want)
	case claim.DeletionTimestamp != nil:
		return fmt.Errorf("claim %s of pod %s/%s is being deleted (phase %s)", want, pod.Namespace, pod.Name, claim.Status.Phase)
	case claim.Status.Phase != corev1.ClaimBound:
		return fmt.Errorf("claim %s of pod %s/%s is %s, not Bound (storage class %s, volume %q)",
			want, pod.Namespace, pod.Name, phaseOrNone(claim.Status.Phase), stringOr(claim.Spec.StorageClassName, "<cluster default>"), claim.Spec.VolumeName)
	}
	return nil
}

// BoundClaim reads the claim behind the pod's volume of the claim template
// and checks it with CheckClaim.
func BoundClaim(ctx context.Context, c kubernetes.Interface, pod *corev1.Pod, claimTemplate string) (*corev1.PersistentVolumeClaim, error) {
	name := ClaimName(claimTemplate, pod.Name)
	claim, err := c.CoreV1().PersistentVolumeClaims(pod.Namespace).Get(ctx, name, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		claim = nil
	case err != nil:
		return nil, fmt.Errorf("reading claim %s of pod %s/%s: %w", name, pod.Namespace, pod.Name, err)
	}
	if err := CheckClaim(pod, claimTemplate, claim); err != nil {
		return claim, err
	}
	return claim, nil
}

// SameClaim checks that the claim a pod mounts now is the one it mounted
// before (by UID), not a claim of the same name made anew: stable storage
// means the pod gets its data back, which a re-created, empty claim named
// data-web-0 would not give it.
func SameClaim(pod *corev1.Pod, was types.UID, claim *corev1.PersistentVolumeClaim) error {
	if claim.UID != was {
		return fmt.Errorf("stable storage: pod %s/%s mounts claim %s uid %s, not the claim of that name it had (uid %s): the claim was deleted and made anew, with none of the pod's data",
			pod.Namespace, pod.Name, claim.Name, claim.UID, was)
	}
	return nil
}

func phaseOrNone(p corev1.PersistentVolumeClaimPhase) string {
	if p == "" {
		return "without a phase"
	}
	return string(p)
}

// ClaimsInput names pods of a set and the claims they must mount.
type ClaimsInput struct {
	Client    kubernetes.Interface
	Namespace string
	// Template is the volumeClaimTemplate's name (ClaimTemplate for sets
	// built with WithVolumeClaim).
	Template string
	Pods     []string
	// Kept are claims the pods had before (OwnClaims' answer then): a pod
	// in Kept must mount the very claim it had, by UID.
	Kept map[string]*corev1.PersistentVolumeClaim
}

// OwnClaims checks the stable storage of each pod now: its volume of the
// template is its own claim <template>-<pod>, Bound (BoundClaim), and for
// a pod in Kept the claim it had then (SameClaim). It returns the claims by
// pod, to pass as a later call's Kept.
func OwnClaims(ctx context.Context, in ClaimsInput) (map[string]*corev1.PersistentVolumeClaim, error) {
	claims := map[string]*corev1.PersistentVolumeClaim{}
	for _, name := range in.Pods {
		p, err := in.Client.CoreV1().Pods(in.Namespace).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return claims, fmt.Errorf("reading pod %s/%s for its claim: %w", in.Namespace, name, err)
		}
		claim, err := BoundClaim(ctx, in.Client, p, in.Template)
		if err != nil {
			return claims, err
		}
		if was, ok := in.Kept[name]; ok {
			if err := SameClaim(p, was.UID, claim); err != nil {
				return claims, err
			}
		}
		claims[name] = claim
	}
	return claims, nil
}
