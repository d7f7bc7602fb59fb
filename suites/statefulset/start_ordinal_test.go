//go:build e2e

package statefulset_test

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
)

// Documented (Start ordinal, GA in v1.31): ".spec.ordinals.start: If the
// .spec.ordinals.start field is set, Pods will be assigned ordinals from
// .spec.ordinals.start up through .spec.ordinals.start + .spec.replicas -
// 1." With OrderedReady they are created in that order, and a change of
// the start replaces the pods outside the new range.
var _ = Describe("StatefulSet start ordinal", Label(guarantee.Conformance, guarantee.StartOrdinal.Label), func() {
	t := cfg.Timeouts
	// Upstream's Setting, Increasing, Decreasing and Removing
	// .start.ordinal, on one set: each change is its own window of the
	// recording, judged once the new range is live and Ready.
	//
	// Deployed and numbered; per change (3) observed and the new range
	// live and Ready on the timeline.
	It("numbers pods from .spec.ordinals.start and replaces those outside the range when it is increased, decreased or removed", Label(guarantee.PodIndexLabel.Label), SpecTimeout(t.Budget(t.Deploy(), t.PodReady, 3*(t.ControllerObserve+t.SetReady))), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "start-ordinal")
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(2), statefulset.WithStartOrdinal(3))
		rec := e.record(ctx, set)

		By("setting .spec.ordinals.start = 3: web-3 then web-4")
		e.deploy(ctx, set, svc)
		in := guarantee.StartOrdinalInput{Start: 3, Replicas: 2}
		tl := waitTimeline(ctx, rec, t.PodReady, "web-3 and web-4 live and Ready", guarantee.NumberedFrom(in))
		expectHeld(rec, tl, in)

		// start -1 removes .spec.ordinals: numbered from 0 again.
		for _, step := range []struct {
			what  string
			start int32
		}{{"increasing", 5}, {"decreasing", 4}, {"removing", -1}} {
			in := guarantee.StartOrdinalInput{Start: max(0, int(step.start)), Replicas: 2}
			By(fmt.Sprintf("%s .spec.ordinals.start: %s", step.what, in))
			mark := rec.Mark(fmt.Sprintf("%s .spec.ordinals.start: %d replicas numbered from %d", step.what, in.Replicas, in.Start))
			_, err := statefulset.SetStartOrdinal(ctx, e.c.Kube, e.ns, set.Name, step.start)
			failOn(err)
			e.waitObserved(ctx, set.Name)
			tl := waitTimeline(ctx, rec, t.SetReady, fmt.Sprintf("exactly web-%d and web-%d live and Ready", in.Start, in.Start+1), guarantee.NumberedFrom(in))
			expectHeld(rec, tl.Since(mark), in)
		}

		// Every incarnation of the recording, web-3 to web-6 and web-0,
		// web-1, labelled with its own ordinal.
		expectHeld(rec, rec.Snapshot(), guarantee.PodIndexInput{First: 0, Replicas: 2})
	})
})
