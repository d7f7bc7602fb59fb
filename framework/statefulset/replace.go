package statefulset

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/stsconform/stsconform/framework/timeline"
)

// ReplaceInput names a pod of a recorded set to delete.
type ReplaceInput struct {
	Client    kubernetes.Interface
	Recorder  *timeline.Recorder
	Namespace string
	Pod       string
	// Timeout bounds the wait for the new incarnation to be Ready
	// (config Timeouts.PodReady).
	Timeout time.Duration
}

// ReplacePod deletes the pod, notes the deletion on the recording, and
// waits until the recording shows a new incarnation of it (another UID)
// Ready: the controller recreating it under its name. It returns the
// deleted pod.
func ReplacePod(ctx context.Context, in ReplaceInput) (*corev1.Pod, error) {
	old, err := in.Client.CoreV1().Pods(in.Namespace).Get(ctx, in.Pod, metav1.GetOptions{})
	if err != nil {
		return nil, fmt.Errorf("reading pod %s/%s before deleting it: %w", in.Namespace, in.Pod, err)
	}
	mark := in.Recorder.Snapshot().LastSeq()
	if err := DeletePod(ctx, in.Client, in.Namespace, in.Pod); err != nil {
		return old, err
	}
	in.Recorder.Mark("deleted " + in.Pod + " (uid " + string(old.UID) + ", ip " + old.Status.PodIP + ")")
	_, err = in.Recorder.Await(ctx, in.Timeout, "a new "+in.Pod+" Ready", timeline.ReadyAgain(in.Pod, string(old.UID), mark))
	return old, err
}

// DeletePod deletes a pod of a set (gracefully, as the kubelet would stop
// it); the controller is then expected to recreate it.
func DeletePod(ctx context.Context, c kubernetes.Interface, namespace, pod string) error {
	if err := c.CoreV1().Pods(namespace).Delete(ctx, pod, metav1.DeleteOptions{}); err != nil {
		return fmt.Errorf("deleting pod %s/%s: %w", namespace, pod, err)
	}
	return nil
}
