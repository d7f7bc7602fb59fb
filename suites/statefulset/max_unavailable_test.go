//go:build e2e

package statefulset_test

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/stsconform/stsconform/framework/featuregate"
	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
	"github.com/stsconform/stsconform/framework/timeline"
)

// Documented (Maximum unavailable Pods): "You can control the maximum
// number of Pods that can be unavailable during an update by specifying the
// .spec.updateStrategy.rollingUpdate.maxUnavailable field ... The field
// applies to all Pods in the range 0 to replicas - 1. If there is any
// unavailable Pod in the range 0 to replicas - 1, it will be counted
// towards maxUnavailable." Upstream's "should perform rolling updates with
// maxUnavailable", judged at every event of the recording, not by polls.
// It also measures when currentRevision was promoted against the pods'
// availability (kubernetes#136831), an observation: the API documents no
// such order. Gate MaxUnavailableStatefulSet, read from the cluster: on, at most 2 at a
// time and more than one at some moment; off, the field is ignored and the
// update goes one pod at a time.
var _ = Describe("StatefulSet maxUnavailable", Label(guarantee.Conformance, guarantee.MaxUnavailable.Label), func() {
	t := cfg.Timeouts
	// Deployed; updated and rolled out; every pod on the new revision, then the
	// promoting status, on the timeline.
	It("keeps at most maxUnavailable pods unavailable during a rolling update, as the gate says", SpecTimeout(t.Budget(t.Deploy(), t.Deploy(), t.PodReady, t.PodReady)), func(ctx SpecContext) {
		gateOn, unknown := featuregate.ControllerEnabled(featuregate.Read(ctx, featuregate.ReadInput{Client: thisRun().c.Kube}), featuregate.MaxUnavailableStatefulSet)
		if unknown != "" {
			Skip("not verified: " + unknown)
		}
		const replicas, most = 5, 2
		e := newSpecEnv(ctx, "max-unavailable")
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(replicas),
			statefulset.WithMinReadySeconds(minReadySeconds), statefulset.WithMaxUnavailable(most))
		rec := e.record(ctx, set)
		if gateOn {
			e.deploy(ctx, set, svc)
		} else {
			// The API server drops a gated-off field: the spec as created
			// differs from the one sent, which is the documented behaviour.
			e.avoidRunnerNode(set)
			_, err := statefulset.Create(ctx, e.c.Kube, set, svc)
			Expect(err).NotTo(HaveOccurred())
			e.waitRolledOut(ctx, set.Name)
		}
		before := e.getSet(ctx, set.Name)

		mark := e.setImage(ctx, rec, set.Name, "", images.WebV1, images.WebV2)
		after := e.waitRolledOut(ctx, set.Name)
		update := guarantee.RollingUpdateInput{Replicas: replicas, OldRevision: before.Status.CurrentRevision, NewRevision: after.Status.UpdateRevision}
		waitTimeline(ctx, rec, t.PodReady, "every pod on the new revision and Ready", guarantee.RolledOut(update))
		tl := waitTimeline(ctx, rec, t.PodReady, "a status naming the new revision current",
			timeline.StatusHas(mark, func(s timeline.SetStatus) bool { return s.CurrentRevision == update.NewRevision }))
		observePromotion(tl.Since(mark), update.NewRevision, replicas)

		if !gateOn {
			expectHeld(rec, tl.Since(mark), update)
			expectHeld(rec, tl.Since(mark), guarantee.MaxUnavailableInput{Replicas: replicas, MaxUnavailable: 1, MinReadySeconds: minReadySeconds})
			AddReportEntry("observation: certified behaviour", "gate MaxUnavailableStatefulSet off: maxUnavailable ignored, one pod at a time")
			return
		}
		in := guarantee.MaxUnavailableInput{Replicas: replicas, MaxUnavailable: most, MinReadySeconds: minReadySeconds}
		expectHeld(rec, tl.Since(mark), in)
		peak := in.MostUnavailable(tl.Since(mark))
		AddReportEntry("observation: certified behaviour", fmt.Sprintf("gate MaxUnavailableStatefulSet on: at most %d of %d unavailable; the most seen at once %d", most, replicas, peak.Max))
		Expect(peak.Max).To(BeNumerically(">", 1), "maxUnavailable %d with the gate on, yet the update never had more than one pod unavailable: it went one at a time", most)
	})
})

// observePromotion reports when the controller named revision current
// against when the last of the replicas on it had been Ready for
// minReadySeconds: kubernetes#136831 promotes on Ready. The API documents
// currentRevision as the revision of the pods [0, currentReplicas) and
// nothing of availability, so this is an observation, never a failure.
func observePromotion(tl timeline.Timeline, revision string, replicas int) {
	GinkgoHelper()
	p, err := guarantee.PromotionOf(tl, revision, replicas, minReadySeconds)
	if err != nil {
		AddReportEntry("observation: currentRevision promotion not measured", err.Error())
		return
	}
	AddReportEntry("observation: currentRevision promotion", p.String())
}
