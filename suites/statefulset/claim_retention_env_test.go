//go:build e2e

package statefulset_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"

	"github.com/stsconform/stsconform/framework/report"
	"github.com/stsconform/stsconform/framework/timeline"
)

// recordClaims is record with the namespace's claims beside the set's
// pods, so that a claim's deletion is ordered against its pod's.
func (e *specEnv) recordClaims(ctx SpecContext, set *appsv1.StatefulSet) *timeline.Recorder {
	GinkgoHelper()
	rec := e.record(ctx, set)
	Expect(rec.WatchClaims(e.c.Kube)).To(Succeed())
	return rec
}

// recordNamespace records every pod of the namespace, not only those the
// set's selector matches: a pod relabelled out of the selector would
// leave a selector's watch as a DELETED event although it is still there.
func (e *specEnv) recordNamespace(ctx SpecContext, set *appsv1.StatefulSet) *timeline.Recorder {
	GinkgoHelper()
	rec, err := timeline.Start(ctx, e.c.Kube, e.ns, set.Name, nil)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(func() { e.saveTimeline(rec, report.Slug(CurrentSpecReport().FullText())+"--"+set.Name) })
	return rec
}

// ownedBy holds for owners that make the set (by UID) the controller.
func ownedBy(set *appsv1.StatefulSet) func([]timeline.Owner) bool {
	return func(owners []timeline.Owner) bool {
		c, ok := timeline.ControllerOf(owners)
		return ok && c.Kind == "StatefulSet" && c.UID == string(set.UID)
	}
}

// notOwnedBy holds for owners that do not name the set.
func notOwnedBy(set *appsv1.StatefulSet) func([]timeline.Owner) bool {
	return func(owners []timeline.Owner) bool {
		for _, o := range owners {
			if o.UID == string(set.UID) {
				return false
			}
		}
		return true
	}
}
