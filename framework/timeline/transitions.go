package timeline

import (
	"time"

	corev1 "k8s.io/api/core/v1"
)

// revisionLabel is set by the StatefulSet controller on every pod it creates.
const revisionLabel = "controller-revision-hash"

// PodIndexLabel is set by the StatefulSet controller (v1.32 and later) on
// every pod it creates, to the pod's ordinal.
const PodIndexLabel = "apps.kubernetes.io/pod-index"

// podState is what the recorder last saw of one UID; events are the
// differences between it and the next update, so a transition is reported
// once no matter how many unrelated updates (status patches, annotations)
// arrive in between.
type podState struct {
	scheduled, running, ready, failed, terminating bool
	owners                                         []Owner
}

// transitions derives the events one update implies. prev is nil on first
// sight of the UID. Within one update the order is Created, Scheduled,
// Running, Ready, Failed, Terminating, Unready, Deleted: the order in which the
// transitions can happen, and failure and deletion before readiness loss
// because the kubelet marks a pod unready as a consequence of either. Seq
// and ObservedAt are left for the caller.
func transitions(prev *podState, pod *corev1.Pod, deleted bool, statefulSet string) ([]Event, podState) {
	var next podState
	if prev != nil {
		next = *prev
	}
	base := Event{
		Pod:             pod.Name,
		Ordinal:         ParseOrdinal(statefulSet, pod.Name),
		UID:             string(pod.UID),
		ResourceVersion: pod.ResourceVersion,
		Node:            pod.Spec.NodeName,
		PodIP:           pod.Status.PodIP,
		Revision:        pod.Labels[revisionLabel],
		PodIndex:        pod.Labels[PodIndexLabel],
		Phase:           string(pod.Status.Phase),
	}
	if len(pod.Spec.Containers) > 0 {
		base.Image = pod.Spec.Containers[0].Image
	}
	var out []Event
	emit := func(kind EventKind, at time.Time) {
		e := base
		e.Kind = kind
		e.ObjectTime = at
		out = append(out, e)
	}

	owners := ownersOf(pod.OwnerReferences)
	if prev == nil {
		emit(Created, pod.CreationTimestamp.Time)
		out[0].Owners = owners
	} else if !sameOwners(next.owners, owners) && !deleted {
		emit(OwnersChanged, time.Time{})
		out[len(out)-1].Owners = owners
	}
	next.owners = owners
	if !next.scheduled && pod.Spec.NodeName != "" {
		next.scheduled = true
		emit(Scheduled, time.Time{})
	}
	running := pod.Status.Phase == corev1.PodRunning
	if running && !next.running {
		emit(Running, time.Time{})
	}
	next.running = running
	ready, readySince := readyCondition(pod)
	if ready && !next.ready {
		emit(Ready, readySince)
	}
	if !next.failed && pod.Status.Phase == corev1.PodFailed {
		next.failed = true
		emit(Failed, time.Time{})
	}
	if !next.terminating && pod.DeletionTimestamp != nil {
		next.terminating = true
		emit(Terminating, pod.DeletionTimestamp.Time)
	}
	if !ready && next.ready {
		emit(Unready, readySince)
	}
	next.ready = ready
	if deleted {
		emit(Deleted, time.Time{})
	}
	return out, next
}

func readyCondition(pod *corev1.Pod) (bool, time.Time) {
	for _, c := range pod.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue, c.LastTransitionTime.Time
		}
	}
	return false, time.Time{}
}
