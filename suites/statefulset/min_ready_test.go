//go:build e2e

package statefulset_test

import (
	. "github.com/onsi/ginkgo/v2"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
	"github.com/stsconform/stsconform/framework/timeline"
)

// minReadySeconds is long enough that a pod counted early, or a successor
// created early, shows on whole-second API timestamps, and short enough to
// keep a spec under a minute per pod.
const minReadySeconds = 10

// Documented (Minimum ready seconds): ".spec.minReadySeconds is an optional
// field that specifies the minimum number of seconds for which a newly
// created Pod should be running and ready without any of its containers
// crashing, for it to be considered available." Upstream's "MinReadySeconds
// should be honored when enabled" and "AvailableReplicas should get updated
// accordingly when MinReadySeconds is enabled", judged on every status the
// controller wrote rather than one poll; under Parallel too, where
// availableReplicas once never caught up (#112066, #112307).
var _ = Describe("StatefulSet minReadySeconds", Label(guarantee.Conformance, guarantee.MinReady.Label), func() {
	t := cfg.Timeouts
	// Deployed; availableReplicas 3 on the recorded statuses.
	It("counts a pod available only after minReadySeconds and creates its successor only then", SpecTimeout(t.Budget(t.Deploy(), t.SetReady)), func(ctx SpecContext) {
		expectMinReady(ctx, false)
	})
	It("counts a pod available only after minReadySeconds under Parallel, and all in the end", SpecTimeout(t.Budget(t.Deploy(), t.SetReady)), func(ctx SpecContext) {
		expectMinReady(ctx, true)
	})
})

// expectMinReady deploys 3 replicas with minReadySeconds and judges every
// status the controller wrote until it counted all of them available.
func expectMinReady(ctx SpecContext, parallel bool) {
	GinkgoHelper()
	t := cfg.Timeouts
	opts := []statefulset.Option{statefulset.WithReplicas(3), statefulset.WithMinReadySeconds(minReadySeconds)}
	if parallel {
		opts = append(opts, statefulset.WithParallel())
	}
	e := newSpecEnv(ctx, "min-ready")
	set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), opts...)
	rec := e.record(ctx, set)
	e.deploy(ctx, set, svc)

	By("waiting for the controller to count all 3 pods available")
	tl := waitTimeline(ctx, rec, t.SetReady, "a status with availableReplicas 3", timeline.StatusHas(0, timeline.AvailableAll))
	expectHeld(rec, tl, guarantee.AvailableInput{MinReadySeconds: minReadySeconds, Replicas: 3, OrderedReady: !parallel})
}
