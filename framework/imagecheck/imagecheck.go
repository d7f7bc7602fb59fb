// Package imagecheck proves, before any spec runs, that the cluster's nodes
// can pull every test image. Without it an unreachable registry shows up as
// dozens of specs timing out on pods stuck in ImagePullBackOff; with it the
// run stops at once with one line naming the image and the registry's answer.
package imagecheck

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"

	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/kube"
	"github.com/stsconform/stsconform/framework/pod"
)

// RoleLabel names the image role a check pod pulls.
const RoleLabel = "stsconform.io/image-role"

// pullFailures are the Waiting reasons of a pull that will not succeed by
// waiting: the kubelet only retries them with back-off.
var pullFailures = []string{"ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "ImageInspectError"}

// StartFailures are the Waiting reasons the kubelet gives when the image is
// on the node (it pulls before it creates the container) but the container
// cannot start. For the pull check that is a pulled image (an image without
// sh is still one the suites' own commands can run); for a pod that must
// run, it is the reason it will not.
var StartFailures = []string{"CreateContainerError", "CreateContainerConfigError", "RunContainerError", "StartError"}

// CheckPullable runs one short-lived pod per role of set in namespace and
// waits until each pod's container has left Waiting for its pull. It fails
// on the first pull error with one line naming the role, the reference, the
// node and the kubelet's message, or after timeout naming the images still
// waiting. Its pods are deleted in every case.
func CheckPullable(ctx context.Context, c kubernetes.Interface, namespace string, set images.Set, timeout, poll time.Duration) error {
	roles := sortedRoles(set)
	var names []string
	defer func() { deletePods(ctx, c, namespace, names) }()
	for _, r := range roles {
		p, err := c.CoreV1().Pods(namespace).Create(ctx, checkPod(r, set.Ref(r)), metav1.CreateOptions{})
		if err != nil {
			return fmt.Errorf("image %s=%s: create pull check pod: %w", r, set.Ref(r), err)
		}
		names = append(names, p.Name)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ticker := time.NewTicker(poll)
	defer ticker.Stop()
	last := map[images.Role]*corev1.Pod{}
	for {
		list, err := c.CoreV1().Pods(namespace).List(ctx, metav1.ListOptions{LabelSelector: kube.ManagedByLabel + "=" + kube.ManagedBy})
		if err == nil {
			for i := range list.Items {
				p := &list.Items[i]
				last[images.Role(p.Labels[RoleLabel])] = p
			}
		}
		var waiting []string
		for _, r := range roles {
			switch st, reason := pullState(last[r]); st {
			case failed:
				p := last[r]
				return fmt.Errorf("image %s=%s cannot be pulled on node %s: %s", r, set.Ref(r), p.Spec.NodeName, oneLine(reason))
			case pending:
				waiting = append(waiting, fmt.Sprintf("%s=%s (%s)", r, set.Ref(r), pod.Describe(last[r])))
			}
		}
		if len(waiting) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("images not pulled within %s: %s", timeout, oneLine(strings.Join(waiting, "; ")))
		case <-ticker.C:
		}
	}
}

type state int

const (
	pending state = iota
	pulled
	failed
)

// pullState says whether p's image was pulled, cannot be, or may still be,
// with the kubelet's reason and message for a failure.
func pullState(p *corev1.Pod) (state, string) {
	if p == nil {
		return pending, ""
	}
	for _, cs := range p.Status.ContainerStatuses {
		switch {
		case cs.State.Running != nil, cs.State.Terminated != nil:
			return pulled, ""
		case cs.State.Waiting != nil && slices.Contains(pullFailures, cs.State.Waiting.Reason):
			return failed, cs.State.Waiting.Reason + ": " + cs.State.Waiting.Message
		case cs.State.Waiting != nil && slices.Contains(StartFailures, cs.State.Waiting.Reason):
			return pulled, ""
		}
	}
	return pending, ""
}

// PullFailure is the kubelet's reason and message when a container of p
// cannot get its image and will only retry with back-off; ok is false while
// the pull may still succeed.
func PullFailure(p *corev1.Pod) (reason string, ok bool) {
	st, msg := pullState(p)
	return msg, st == failed
}

func checkPod(r images.Role, ref string) *corev1.Pod {
	small := corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("10m"), corev1.ResourceMemory: resource.MustParse("16Mi")}
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			GenerateName: "image-check-" + string(r) + "-",
			Labels:       map[string]string{kube.ManagedByLabel: kube.ManagedBy, RoleLabel: string(r)},
		},
		Spec: corev1.PodSpec{
			RestartPolicy:                 corev1.RestartPolicyNever,
			TerminationGracePeriodSeconds: ptr.To[int64](0),
			AutomountServiceAccountToken:  ptr.To(false),
			Containers: []corev1.Container{{
				Name:            "image",
				Image:           ref,
				ImagePullPolicy: corev1.PullIfNotPresent,
				Command:         []string{"sh", "-c", "exit 0"},
				Resources:       corev1.ResourceRequirements{Requests: small, Limits: corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("64Mi")}},
			}},
		},
	}
}

// deletePods removes the check's pods even when ctx has expired: a timed
// out check must not leave pods pulling behind it.
// The caller deletes the namespace too; this frees the nodes at once.
func deletePods(ctx context.Context, c kubernetes.Interface, namespace string, names []string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	for _, n := range names {
		_ = c.CoreV1().Pods(namespace).Delete(ctx, n, metav1.DeleteOptions{GracePeriodSeconds: ptr.To[int64](0)})
	}
}

func sortedRoles(set images.Set) []images.Role {
	var out []images.Role
	for r := range set {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
