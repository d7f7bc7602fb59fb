//go:build e2e

package statefulset_test

import (
	"context"
	"fmt"
	"sort"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/report"
	"github.com/stsconform/stsconform/framework/statefulset"
)

// Documented (Rolling Updates): "The StatefulSet controller will delete and
// recreate each Pod in the StatefulSet. It will proceed in the same order as
// Pod termination (from the largest ordinal to the smallest), updating each
// Pod one at a time", waiting for each updated Pod to be Running and Ready
// before updating its predecessor; with a partition, "all Pods with an
// ordinal that is greater than or equal to the partition will be updated",
// the others are not, even if deleted.
var _ = Describe("StatefulSet rolling update", Label("Conformance", "RollingUpdate"), func() {
	It("replaces pods from the highest ordinal down, one at a time, each after its successor is Ready", SpecTimeout(cfg.Timeouts.SpecLong), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "rolling")
		set, svc := statefulset.New(e.ns, "web", image(images.WebV1), statefulset.WithReplicas(3))
		rec := e.record(ctx, set)
		before := e.deploy(ctx, set, svc)

		mark := rec.Snapshot().LastSeq()
		rec.Annotate("image " + image(images.WebV1) + " -> " + image(images.WebV2))
		_, err := statefulset.SetImage(ctx, clients.Kube, e.ns, set.Name, image(images.WebV2))
		Expect(err).NotTo(HaveOccurred())
		after := waitRolledOut(ctx, e.ns, set.Name)
		Expect(after.Status.UpdateRevision).NotTo(Equal(before.Status.CurrentRevision))

		in := guarantee.RollingUpdateInput{Replicas: 3, OldRevision: before.Status.CurrentRevision, NewRevision: after.Status.UpdateRevision}
		// The status can run ahead of the watch: judge once the recorder
		// has seen the end of the update too.
		tl := waitTimeline(ctx, rec, cfg.Timeouts.PodReady, "every pod on the new revision and Ready", guarantee.RolledOut(in))
		expectHeld(guarantee.RollingUpdate(tl.Since(mark), in))
		for i := 0; i < 3; i++ {
			Expect(e.exec(ctx, statefulset.PodName(set.Name, i), "cat", "/www/version")).To(Equal("2"))
		}
		recordRevisions(ctx, after)
	})

	It("updates only ordinals at or above the partition, then the rest when the partition is lowered", SpecTimeout(cfg.Timeouts.SpecLong), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "partition")
		set, svc := statefulset.New(e.ns, "web", image(images.WebV1), statefulset.WithReplicas(4), statefulset.WithPartition(2))
		rec := e.record(ctx, set)
		before := e.deploy(ctx, set, svc)
		oldRev := before.Status.CurrentRevision

		mark := rec.Snapshot().LastSeq()
		updateNote := "partition 2: image " + image(images.WebV1) + " -> " + image(images.WebV2)
		rec.Annotate(updateNote)
		_, err := statefulset.SetImage(ctx, clients.Kube, e.ns, set.Name, image(images.WebV2))
		Expect(err).NotTo(HaveOccurred())
		var staged *appsv1.StatefulSet
		Eventually(ctx, getSet(e.ns, set.Name)).WithTimeout(cfg.Timeouts.SetReady).WithPolling(cfg.Timeouts.Poll).Should(Satisfy(func(s *appsv1.StatefulSet) bool {
			staged = s
			observed, _ := statefulset.ControllerObserved(s)
			return observed && s.Status.UpdatedReplicas == 2 && s.Status.ReadyReplicas == 4
		}), "2 of 4 pods updated and all ready")
		newRev := staged.Status.UpdateRevision
		in := guarantee.RollingUpdateInput{Replicas: 4, Partition: 2, OldRevision: oldRev, NewRevision: newRev}
		tl := waitTimeline(ctx, rec, cfg.Timeouts.PodReady, "web-2 and web-3 on the new revision and Ready", guarantee.RolledOut(in))
		expectHeld(guarantee.RollingUpdate(tl.Since(mark), in))
		Expect(podRevisions(ctx, set)).To(Equal(map[string]string{"web-0": oldRev, "web-1": oldRev, "web-2": newRev, "web-3": newRev}))

		mark = rec.Snapshot().LastSeq()
		loweredNote := "partition 2 -> 0"
		rec.Annotate(loweredNote)
		_, err = statefulset.SetPartition(ctx, clients.Kube, e.ns, set.Name, 0)
		Expect(err).NotTo(HaveOccurred())
		after := waitRolledOut(ctx, e.ns, set.Name)
		in = guarantee.RollingUpdateInput{Replicas: 4, OldRevision: oldRev, NewRevision: newRev}
		tl = waitTimeline(ctx, rec, cfg.Timeouts.PodReady, "every pod on the new revision and Ready", guarantee.RolledOut(in))
		expectHeld(guarantee.RollingUpdate(tl.Since(mark), in))
		Expect(podRevisions(ctx, set)).To(HaveEach(newRev))
		expectHeld(guarantee.PartitionHeld(rec.Snapshot(), guarantee.PartitionInput{
			Replicas: 4, Partition: 2, OldRevision: oldRev, UpdateNote: updateNote, LoweredNote: loweredNote,
		}))
		recordRevisions(ctx, after)
	})
})

func podRevisions(ctx context.Context, set *appsv1.StatefulSet) map[string]string {
	GinkgoHelper()
	pods, err := statefulset.Pods(ctx, clients.Kube, set)
	Expect(err).NotTo(HaveOccurred())
	out := map[string]string{}
	for _, p := range pods {
		out[p.Name] = p.Labels[appsv1.StatefulSetRevisionLabel]
	}
	return out
}

// recordRevisions puts the set's ControllerRevisions in the report.
func recordRevisions(ctx context.Context, set *appsv1.StatefulSet) {
	GinkgoHelper()
	list, err := clients.Kube.AppsV1().ControllerRevisions(set.Namespace).List(ctx, metav1.ListOptions{
		LabelSelector: labels.SelectorFromSet(set.Spec.Selector.MatchLabels).String(),
	})
	Expect(err).NotTo(HaveOccurred())
	sort.Slice(list.Items, func(i, j int) bool { return list.Items[i].Revision < list.Items[j].Revision })
	var lines []string
	for _, r := range list.Items {
		lines = append(lines, fmt.Sprintf("revision %d %s", r.Revision, r.Name))
	}
	AddReportEntry(report.EntryRevisions, lines)
	Expect(len(list.Items)).To(BeNumerically(">=", 2), "a rolling update leaves the old and new ControllerRevisions")
}
