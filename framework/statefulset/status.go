package statefulset

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
)

// Readiness describes how far a StatefulSet is from done. Its status is
// only trusted once the controller has observed the latest generation.
type Readiness struct {
	Ready  bool
	Reason string
}

// RolledOut reports whether the set's status says every replica is ready
// and on the update revision.
func RolledOut(s *appsv1.StatefulSet) Readiness {
	want := int32(1)
	if s.Spec.Replicas != nil {
		want = *s.Spec.Replicas
	}
	st := s.Status
	observed, why := ControllerObserved(s)
	switch {
	case !observed:
		return Readiness{Reason: "the controller has not observed the latest spec: " + why}
	case st.Replicas != want || st.ReadyReplicas != want:
		return Readiness{Reason: fmt.Sprintf("%d/%d replicas, %d ready", st.Replicas, want, st.ReadyReplicas)}
	case s.Spec.UpdateStrategy.Type == appsv1.RollingUpdateStatefulSetStrategyType && partition(s) == 0 &&
		(st.UpdatedReplicas != want || st.CurrentRevision != st.UpdateRevision):
		return Readiness{Reason: fmt.Sprintf("%d/%d updated, current revision %s, update revision %s", st.UpdatedReplicas, want, st.CurrentRevision, st.UpdateRevision)}
	}
	return Readiness{Ready: true, Reason: fmt.Sprintf("%d/%d ready at generation %d", st.ReadyReplicas, want, s.Generation)}
}

func partition(s *appsv1.StatefulSet) int32 {
	if ru := s.Spec.UpdateStrategy.RollingUpdate; ru != nil && ru.Partition != nil {
		return *ru.Partition
	}
	return 0
}
