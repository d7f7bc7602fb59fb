package dns

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"
)

const probeContainer = "probe"

// ProbeInput describes the busybox pod that runs the lookups.
type ProbeInput struct {
	Client    kubernetes.Interface
	Namespace string
	Name      string
	// Image is a busybox image the nodes can start (the suite may run offline).
	Image string
	// NodeName pins the probe to a node; empty lets the scheduler choose.
	NodeName string
}

// CreateProbe creates the probe pod; the caller waits for it to be Ready
// (pod.Ready), so that every wait of the suite has one shape and one set of
// named timeouts.
func CreateProbe(ctx context.Context, in ProbeInput) (PodRef, error) {
	if in.Client == nil || in.Namespace == "" || in.Name == "" || in.Image == "" {
		return PodRef{}, fmt.Errorf("dns probe: client, namespace, name and image are required (got %q/%q image %q)", in.Namespace, in.Name, in.Image)
	}
	ref := PodRef{Namespace: in.Namespace, Name: in.Name, Container: probeContainer}
	if _, err := in.Client.CoreV1().Pods(in.Namespace).Create(ctx, probePod(in), metav1.CreateOptions{}); err != nil {
		return ref, fmt.Errorf("creating dns probe pod %s: %w", ref, err)
	}
	return ref, nil
}

// StopProbe deletes the probe pod without a grace period; it is already
// gone when that is not found.
func StopProbe(ctx context.Context, c kubernetes.Interface, probe PodRef) error {
	err := c.CoreV1().Pods(probe.Namespace).Delete(ctx, probe.Name, metav1.DeleteOptions{GracePeriodSeconds: ptr.To[int64](0)})
	if err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("deleting dns probe pod %s: %w", probe, err)
	}
	return nil
}

func probePod(in ProbeInput) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name:      in.Name,
			Namespace: in.Namespace,
			Labels:    map[string]string{"app.kubernetes.io/name": "dns-probe"},
		},
		Spec: corev1.PodSpec{
			NodeName:                      in.NodeName,
			TerminationGracePeriodSeconds: ptr.To[int64](1),
			Containers: []corev1.Container{{
				Name:            probeContainer,
				Image:           in.Image,
				ImagePullPolicy: corev1.PullIfNotPresent,
				// sleep as PID 1 would ignore SIGTERM; the trap lets deletion
				// finish at once instead of after the grace period.
				Command: []string{"sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"},
			}},
		},
	}
}
