package statefulset

import (
	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// WithMinReadySeconds sets how long a pod must have been Ready to count as
// available (KEP-2599).
func WithMinReadySeconds(n int32) Option {
	return func(s *appsv1.StatefulSet) { s.Spec.MinReadySeconds = n }
}

// WithMaxUnavailable sets the rolling update's maxUnavailable (KEP-961,
// gate MaxUnavailableStatefulSet), keeping a partition already set.
func WithMaxUnavailable(n int32) Option {
	return func(s *appsv1.StatefulSet) {
		if s.Spec.UpdateStrategy.RollingUpdate == nil {
			s.Spec.UpdateStrategy.RollingUpdate = &appsv1.RollingUpdateStatefulSetStrategy{}
		}
		s.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable = ptr.To(intstr.FromInt32(n))
	}
}
