//go:build e2e

package statefulset_test

import (
	. "github.com/onsi/ginkgo/v2"

	"github.com/stsconform/stsconform/framework/featuregate"
	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
)

// Documented (apps/v1 StatefulSetUpdateStrategyType "Recreate", k8s.io/api
// v0.37.2): "RecreateStatefulSetStrategyType indicates that all existing
// pods will be deleted and fully terminated before any new-revision pods
// are created. This ensures that old and new revision Pods never run at
// the same time." KEP-3541: the new pods are then created as
// podManagementPolicy says, and keep their claims. Upstream's "should
// recreate all pods when the update strategy is Recreate" and "should
// preserve Parallel PodManagementPolicy when recreating", judged from the
// recorded watch. Gate StatefulSetRecreateStrategy (alpha, off by default
// in v1.37, not registered before), read from the cluster: on, the
// behaviour is judged; off or unregistered, what is certified is that the
// API server refuses the strategy, so that no set can ask for an update
// nobody would carry out; unknown and accepted, not verified.
var _ = Describe("StatefulSet Recreate update strategy", Label(guarantee.Conformance, guarantee.Recreate.Label), func() {
	t := cfg.Timeouts
	// recreate deploys 3 replicas with claims, changes the image and judges
	// the recording from the change on.
	recreate := func(ctx SpecContext, base string, parallel bool) {
		GinkgoHelper()
		on, unknown := featuregate.ControllerEnabled(featuregate.Read(ctx, featuregate.ReadInput{Client: thisRun().c.Kube}), featuregate.StatefulSetRecreateStrategy)
		e := newSpecEnv(ctx, base)
		if !on {
			By("gate off or unknown: the API server must refuse updateStrategy Recreate")
			gate := "gate " + featuregate.StatefulSetRecreateStrategy + " off"
			if unknown != "" {
				gate = unknown
			}
			probe, _ := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(0), statefulset.WithRecreate())
			refusal, err := statefulset.CreateRefused(ctx, e.c.Kube, probe, "spec.updateStrategy")
			if err != nil && unknown != "" {
				Skip("not verified: " + unknown + "; " + err.Error())
			}
			failWithCause(err, func() string {
				return gate + " in kube-controller-manager, yet the API server does not refuse updateStrategy Recreate"
			})
			AddReportEntry("observation: certified behaviour", gate+": the API server refuses updateStrategy Recreate ("+refusal+")")
			return
		}
		opts := []statefulset.Option{statefulset.WithReplicas(3), statefulset.WithRecreate(), statefulset.WithVolumeClaim("10Mi", e.storageClass)}
		if parallel {
			opts = append(opts, statefulset.WithParallel())
		}
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), opts...)
		rec := e.recordClaims(ctx, set)
		e.deploy(ctx, set, svc)
		pods := statefulset.PodNames(set.Name, 3)
		claims := e.ownClaims(ctx, statefulset.ClaimTemplate, pods, nil)

		By("changing the image: every old pod must be gone before any new one is created")
		mark := e.setImage(ctx, rec, set.Name, "Recreate: ", images.WebV1, images.WebV2)
		newRev := e.waitObserved(ctx, set.Name).Status.UpdateRevision
		in := guarantee.RecreateInput{Replicas: 3, NewRevision: newRev, OrderedReady: !parallel, ClaimTemplate: statefulset.ClaimTemplate}
		tl := waitTimeline(ctx, rec, t.SetReady, "every pod recreated on the new revision and Ready",
			guarantee.RolledOut(guarantee.RollingUpdateInput{Replicas: 3, NewRevision: newRev}))
		expectHeld(rec, tl.Since(mark), in)

		By("each pod back on the very claim it had")
		e.ownClaims(ctx, statefulset.ClaimTemplate, pods, claims)
	}

	// Deployed; the update observed; the set recreated.
	It("OrderedReady: deletes every pod and waits until all are gone before creating any, then creates them in order on their claims", SpecTimeout(t.Budget(t.Deploy(), t.ControllerObserve, t.SetReady)), func(ctx SpecContext) {
		recreate(ctx, "recreate", false)
	})
	It("Parallel: deletes every pod and waits until all are gone before creating any, then creates them at once on their claims", SpecTimeout(t.Budget(t.Deploy(), t.ControllerObserve, t.SetReady)), func(ctx SpecContext) {
		recreate(ctx, "recreate-parallel", true)
	})
})
