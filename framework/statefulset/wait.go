package statefulset

import (
	"context"
	"errors"
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/yaml"

	"github.com/stsconform/stsconform/framework/poll"
)

// WaitInput names a StatefulSet and bounds the waits on it.
type WaitInput struct {
	Client    kubernetes.Interface
	Namespace string
	Name      string
	// ObserveTimeout bounds the wait for the controller to observe the
	// set's generation (config Timeouts.ControllerObserve), ReadyTimeout
	// the wait for the rollout after it (Timeouts.SetReady).
	ObserveTimeout, ReadyTimeout time.Duration
	Poll                         time.Duration
}

// WaitObserved waits until the StatefulSet controller has observed the
// set's latest generation. A wait that runs out opens with NeverObserved:
// the controller's problem, named as one, so that a cluster without it
// fails in seconds with that diagnosis, not after every pod wait.
func WaitObserved(ctx context.Context, in WaitInput) (*appsv1.StatefulSet, error) {
	var last *appsv1.StatefulSet
	err := poll.Until(ctx, in.ObserveTimeout, in.Poll, func(ctx context.Context) error {
		s, err := in.Client.AppsV1().StatefulSets(in.Namespace).Get(ctx, in.Name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		last = s
		if ok, why := ControllerObserved(s); !ok {
			return errors.New(why)
		}
		return nil
	})
	if err != nil {
		return last, fmt.Errorf("%w\n%w", NeverObserved(last, in.ObserveTimeout), err)
	}
	return last, nil
}

// WaitRolledOut waits for WaitObserved, then until the set's status says
// it is rolled out (RolledOut). A wait that runs out opens with why
// (StalledReason: the controller's part, storage, scheduling or a pod's
// readiness) and shows the last status.
func WaitRolledOut(ctx context.Context, in WaitInput) (*appsv1.StatefulSet, error) {
	last, err := WaitObserved(ctx, in)
	if err != nil {
		return last, err
	}
	var pods []corev1.Pod
	err = poll.Until(ctx, in.ReadyTimeout, in.Poll, func(ctx context.Context) error {
		s, err := in.Client.AppsV1().StatefulSets(in.Namespace).Get(ctx, in.Name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		last = s
		if pods, err = Pods(ctx, in.Client, s); err != nil {
			return err
		}
		if r := RolledOut(s); !r.Ready {
			return errors.New(r.Reason)
		}
		return nil
	})
	if err != nil {
		return last, fmt.Errorf("StatefulSet %s/%s not rolled out: %s\nstatus: %s%w", in.Namespace, in.Name, StalledReason(last, pods), statusYAML(last), err)
	}
	return last, nil
}

func statusYAML(s *appsv1.StatefulSet) string {
	b, err := yaml.Marshal(s.Status)
	if err != nil {
		return fmt.Sprintln(s.Status)
	}
	return string(b)
}
