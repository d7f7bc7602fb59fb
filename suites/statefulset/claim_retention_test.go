//go:build e2e

package statefulset_test

import (
	"context"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
	"github.com/stsconform/stsconform/framework/timeline"
)

// Documented (PersistentVolumeClaim retention): "With the whenDeleted
// policy all PVCs from the volumeClaimTemplate are deleted after their
// Pods have been deleted. With the whenScaled policy, only PVCs
// corresponding to Pod replicas being scaled down are deleted, after
// their Pods have been deleted." "Retain (default): PVCs from the
// volumeClaimTemplate are not affected when their Pod is deleted." And
// (ObjectMeta, ownerReferences): "If ALL objects in the list have been
// deleted, this object will be garbage collected. ... There cannot be more
// than one managing controller." Upstream: "Non-retain
// StatefulSetPersistentVolumeClaimPolicy". Each claim deletion is proven
// from the recorded claim watch, ordered against the pods' events.
var _ = Describe("StatefulSet claim retention", Label(guarantee.Conformance, guarantee.ClaimRetention.Label), func() {
	t := cfg.Timeouts
	const (
		retain = appsv1.RetainPersistentVolumeClaimRetentionPolicyType
		del    = appsv1.DeletePersistentVolumeClaimRetentionPolicyType
	)
	// Parallel: the policy does not depend on the pod management
	// policy, and the claims provision at once.
	build := func(e *specEnv, replicas int32, whenDeleted, whenScaled appsv1.PersistentVolumeClaimRetentionPolicyType) *appsv1.StatefulSet {
		set, _ := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(replicas), statefulset.WithParallel(),
			statefulset.WithVolumeClaim("10Mi", e.storageClass), statefulset.WithRetention(whenDeleted, whenScaled))
		return set
	}
	claim := func(n int) string {
		return statefulset.ClaimName(statefulset.ClaimTemplate, statefulset.PodName("web", n))
	}
	policy := func(whenDeleted, whenScaled appsv1.PersistentVolumeClaimRetentionPolicyType) guarantee.ClaimRetentionInput {
		return guarantee.ClaimRetentionInput{Template: statefulset.ClaimTemplate, WhenDeleted: string(whenDeleted), WhenScaled: string(whenScaled)}
	}
	// deployClaims deploys the set recording its claims, and judges the
	// claims as created: owned by nobody the set or the spec did not name.
	deployClaims := func(ctx SpecContext, e *specEnv, set *appsv1.StatefulSet, in guarantee.ClaimRetentionInput) (*timeline.Recorder, *appsv1.StatefulSet) {
		GinkgoHelper()
		_, svc := statefulset.New(e.ns, set.Name, e.image(images.WebV1))
		rec := e.recordClaims(ctx, set)
		deployed := e.deploy(ctx, set, svc)
		in.Replicas = int(*set.Spec.Replicas)
		expectHeld(rec, rec.Snapshot(), in)
		return rec, deployed
	}
	// scaleTo1 scales a set of 3 to 1 and judges that window under in:
	// the claims of web-1 and web-2 go once their pods are gone.
	scaleTo1 := func(ctx SpecContext, e *specEnv, rec *timeline.Recorder, set *appsv1.StatefulSet, in guarantee.ClaimRetentionInput) {
		GinkgoHelper()
		mark := rec.Mark("scaling 3 -> 1")
		_, err := statefulset.ScaleTo(ctx, e.c.Kube, e.ns, set.Name, 1)
		failOn(err)
		tl := waitTimeline(ctx, rec, 2*t.PodGone, "claims of web-1 and web-2 deleted", timeline.AllOf(timeline.PodsGone(mark, "web-1", "web-2"), timeline.ClaimsGone(mark, claim(1), claim(2))))
		in.Replicas = 1
		expectHeld(rec, tl.Since(mark), in)
	}

	It("deletes on scale-down exactly the claims of the removed ordinals, each after its pod, and keeps them on deletion (whenScaled: Delete)", SpecTimeout(t.Budget(t.Deploy(), t.PodGone, t.PodGone, t.PodGone)), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "claims-scaled")
		set := build(e, 3, retain, del)
		rec, _ := deployClaims(ctx, e, set, policy(retain, del))

		By("scaling 3 -> 1: the claims of web-2 and web-1 go once their pods are gone, web-0's stays")
		scaleTo1(ctx, e, rec, set, policy(retain, del))

		By("deleting the set: whenDeleted Retain keeps web-0's claim")
		mark := rec.Mark("deleting the StatefulSet")
		Expect(statefulset.Delete(ctx, e.c.Kube, e.ns, set.Name)).To(Succeed())
		tl := waitTimeline(ctx, rec, t.PodGone, "web-0 Deleted", timeline.PodsGone(mark, "web-0"))
		in := policy(retain, del)
		in.SetDeleted = true
		expectHeld(rec, tl.Since(mark), in)
	})

	It("deletes the claims of the removed ordinals on scale-down and the rest on deletion, each after its pod (whenDeleted and whenScaled: Delete)", SpecTimeout(t.Budget(t.Deploy(), 2*t.PodGone, 2*t.PodGone)), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "claims-deleted")
		set := build(e, 3, del, del)
		rec, _ := deployClaims(ctx, e, set, policy(del, del))

		By("scaling 3 -> 1: the claims of web-2 and web-1 go after their pods")
		scaleTo1(ctx, e, rec, set, policy(del, del))

		By("deleting the set: the last claim goes after web-0")
		mark := rec.Mark("deleting the StatefulSet")
		Expect(statefulset.Delete(ctx, e.c.Kube, e.ns, set.Name)).To(Succeed())
		tl := waitTimeline(ctx, rec, 2*t.PodGone, "claim of web-0 deleted", timeline.AllOf(timeline.PodsGone(mark, "web-0"), timeline.ClaimsGone(mark, claim(0))))
		in := policy(del, del)
		in.SetDeleted = true
		expectHeld(rec, tl.Since(mark), in)
	})

	It("keeps on scale-down a claim another controller owns, and deletes it on a later scale-down once released (whenScaled: Delete)", SpecTimeout(t.Budget(t.Deploy(), t.ControllerObserve, 2*t.PodGone, t.SetReady, 2*t.PodGone)), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "claims-other-controller")
		set := build(e, 3, retain, retain)
		rec, _ := deployClaims(ctx, e, set, policy(retain, retain))

		By("giving data-web-1 another controller, then the set whenScaled: Delete")
		keeper, err := statefulset.NewOwner(ctx, e.c.Kube, e.ns, "keeper", true)
		failOn(err)
		failOn(statefulset.SetClaimOwners(ctx, e.c.Kube, e.ns, claim(1), []metav1.OwnerReference{keeper}))
		_, err = statefulset.Update(ctx, e.c.Kube, e.ns, set.Name, func(s *appsv1.StatefulSet) {
			s.Spec.PersistentVolumeClaimRetentionPolicy.WhenScaled = del
		})
		failOn(err)
		e.waitObserved(ctx, set.Name)

		By("scaling 3 -> 0: data-web-0 and data-web-2 go, data-web-1 stays")
		mark := rec.Mark("scaling 3 -> 0")
		_, err = statefulset.ScaleTo(ctx, e.c.Kube, e.ns, set.Name, 0)
		failOn(err)
		tl := waitTimeline(ctx, rec, 2*t.PodGone, "pods gone, claims of web-0 and web-2 deleted",
			timeline.AllOf(timeline.PodsGone(mark, "web-0", "web-1", "web-2"), timeline.ClaimsGone(mark, claim(0), claim(2))))
		in := policy(retain, del)
		in.Foreign = []string{claim(1)}
		expectHeld(rec, tl.Since(mark), in)

		By("releasing data-web-1, scaling 0 -> 2 and 2 -> 1: now data-web-1 goes")
		failOn(statefulset.SetClaimOwners(ctx, e.c.Kube, e.ns, claim(1), nil))
		_, err = statefulset.ScaleTo(ctx, e.c.Kube, e.ns, set.Name, 2)
		failOn(err)
		e.waitRolledOut(ctx, set.Name)
		mark = rec.Mark("scaling 2 -> 1")
		_, err = statefulset.ScaleTo(ctx, e.c.Kube, e.ns, set.Name, 1)
		failOn(err)
		tl = waitTimeline(ctx, rec, 2*t.PodGone, "claim of web-1 deleted", timeline.AllOf(timeline.PodsGone(mark, "web-1"), timeline.ClaimsGone(mark, claim(1))))
		in = policy(retain, del)
		in.Replicas = 1
		expectHeld(rec, tl.Since(mark), in)
	})

	It("keeps on deletion the claims another object owns too, and deletes the others after their pods (whenDeleted: Delete)", SpecTimeout(t.Budget(t.Deploy(), t.ControllerObserve, 2*t.PodGone)), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "claims-other-owner")
		set := build(e, 3, retain, retain)
		rec, deployed := deployClaims(ctx, e, set, policy(retain, retain))

		By("giving data-web-1 another owner and data-web-2 another controller, then the set whenDeleted: Delete")
		owner, err := statefulset.NewOwner(ctx, e.c.Kube, e.ns, "owner", false)
		failOn(err)
		keeper, err := statefulset.NewOwner(ctx, e.c.Kube, e.ns, "keeper", true)
		failOn(err)
		failOn(statefulset.SetClaimOwners(ctx, e.c.Kube, e.ns, claim(1), []metav1.OwnerReference{owner}))
		failOn(statefulset.SetClaimOwners(ctx, e.c.Kube, e.ns, claim(2), []metav1.OwnerReference{keeper}))
		mark := rec.Mark("whenDeleted: Delete")
		_, err = statefulset.Update(ctx, e.c.Kube, e.ns, set.Name, func(s *appsv1.StatefulSet) {
			s.Spec.PersistentVolumeClaimRetentionPolicy.WhenDeleted = del
		})
		failOn(err)
		// The controller makes itself the claims' controller, beside an
		// owner that is not one, and leaves the claim another controls.
		waitTimeline(ctx, rec, t.ControllerObserve, "the set owning data-web-0 and data-web-1",
			timeline.AllOf(timeline.ClaimOwnersBecome(claim(0), mark, ownedBy(deployed)), timeline.ClaimOwnersBecome(claim(1), mark, ownedBy(deployed))))

		By("deleting the set: data-web-0 goes after web-0, data-web-1 and data-web-2 stay")
		mark = rec.Mark("deleting the StatefulSet")
		Expect(statefulset.Delete(ctx, e.c.Kube, e.ns, set.Name)).To(Succeed())
		tl := waitTimeline(ctx, rec, 2*t.PodGone, "pods gone, data-web-0 deleted",
			timeline.AllOf(timeline.PodsGone(mark, "web-0", "web-1", "web-2"), timeline.ClaimsGone(mark, claim(0))))
		in := policy(del, retain)
		in.SetDeleted = true
		in.Foreign = []string{claim(1), claim(2)}
		expectHeld(rec, tl.Since(mark), in)
	})

	It("deletes every claim on deletion after a re-created set adopted the orphaned pods (whenDeleted: Delete)", SpecTimeout(t.Budget(t.Deploy(), t.PodGone, t.Deploy(), 2*t.PodGone)), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "claims-adopted-deleted")
		set := build(e, 3, del, retain)
		rec, _ := deployClaims(ctx, e, set, policy(del, retain))

		By("deleting the set orphaning its pods and claims, and re-creating it")
		Expect(statefulset.DeleteOrphaning(ctx, e.c.Kube, e.ns, set.Name)).To(Succeed())
		Eventually(ctx, func(ctx context.Context) error {
			_, err := e.c.Kube.AppsV1().StatefulSets(e.ns).Get(ctx, set.Name, metav1.GetOptions{})
			return err
		}).WithTimeout(t.PodGone).WithPolling(t.Poll).Should(Satisfy(apierrors.IsNotFound), "the orphaning deletion of the set")
		mark := rec.Mark("re-creating the StatefulSet")
		again := e.deploy(ctx, build(e, 3, del, retain), nil)
		var adopted []timeline.Condition
		for n := range 3 {
			adopted = append(adopted, timeline.OwnersBecome(statefulset.PodName("web", n), mark, ownedBy(again)),
				timeline.ClaimOwnersBecome(claim(n), mark, ownedBy(again)))
		}
		tl := waitTimeline(ctx, rec, t.ControllerObserve, "the new set owning the pods and claims", timeline.AllOf(adopted...))
		for n := range 3 {
			expectHeld(rec, tl.Since(mark), guarantee.AdoptionInput{Pod: statefulset.PodName("web", n), Adopt: true, SetUID: string(again.UID)})
		}

		By("deleting the set: every claim goes after its pod")
		mark = rec.Mark("deleting the StatefulSet")
		Expect(statefulset.Delete(ctx, e.c.Kube, e.ns, set.Name)).To(Succeed())
		tl = waitTimeline(ctx, rec, 2*t.PodGone, "every claim deleted", timeline.AllOf(timeline.PodsGone(mark, "web-0", "web-1", "web-2"), timeline.ClaimsGone(mark, claim(0), claim(1), claim(2))))
		in := policy(del, retain)
		in.SetDeleted = true
		expectHeld(rec, tl.Since(mark), in)
	})

	It("deletes on scale-down the claim of a pod the set adopted again (whenScaled: Delete)", SpecTimeout(t.Budget(t.Deploy(), t.ControllerObserve, 2*t.PodGone)), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "claims-adopted-scaled")
		set := build(e, 3, retain, del)
		rec, deployed := deployClaims(ctx, e, set, policy(retain, del))

		By("orphaning web-2: the set adopts it again")
		mark := rec.Mark("orphaning web-2")
		_, err := statefulset.Orphan(ctx, e.c.Kube, e.ns, "web-2")
		failOn(err)
		tl := waitTimeline(ctx, rec, t.ControllerObserve, "web-2 adopted", timeline.OwnersBecome("web-2", mark, ownedBy(deployed)))
		expectHeld(rec, tl.Since(mark), guarantee.AdoptionInput{Pod: "web-2", Adopt: true, SetUID: string(deployed.UID)})

		By("scaling 3 -> 1: the claims of web-2 and web-1 go after their pods")
		scaleTo1(ctx, e, rec, set, policy(retain, del))
	})
})
