//go:build e2e

package statefulset_test

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/utils/ptr"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
)

// historyLimit and templateUpdates: more updates than the limit, so that
// at least one revision must be pruned.
const (
	historyLimit    = 2
	templateUpdates = 4
)

// Documented (StatefulSetSpec): "revisionHistoryLimit is the maximum number
// of revisions that will be maintained in the StatefulSet's revision
// history. The revision history consists of all revisions not represented
// by a currently applied StatefulSetSpec version." Upstream has no e2e spec
// of it.
var _ = Describe("StatefulSet revision history", Label(guarantee.Conformance, guarantee.RevisionHistory.Label, guarantee.Rollback), func() {
	t := cfg.Timeouts
	// Deployed; each update rolled out; the undo rolled out.
	It("keeps only the newest revisions beyond those in use, and rolls back to a kept one", SpecTimeout(t.Budget(t.Deploy(), templateUpdates*t.Deploy(), t.Deploy())), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "history")
		set, svc := statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(2))
		set.Spec.RevisionHistoryLimit = ptr.To[int32](historyLimit)
		rec := e.record(ctx, set)
		deployed := e.deploy(ctx, set, svc)
		created := []string{deployed.Status.UpdateRevision}

		for i := 1; i <= templateUpdates; i++ {
			By(fmt.Sprintf("template update %d of %d", i, templateUpdates))
			rec.Mark(fmt.Sprintf("template update %d: annotation step=%d", i, i))
			_, err := statefulset.Update(ctx, e.c.Kube, e.ns, set.Name, func(s *appsv1.StatefulSet) {
				if s.Spec.Template.Annotations == nil {
					s.Spec.Template.Annotations = map[string]string{}
				}
				s.Spec.Template.Annotations["stsconform.io/step"] = fmt.Sprint(i)
			})
			failOn(err)
			after := e.waitRolledOut(ctx, set.Name)
			Expect(created).NotTo(ContainElement(after.Status.UpdateRevision), "update %d did not create a new revision", i)
			created = append(created, after.Status.UpdateRevision)
		}

		By("proving the history holds the revision in use and the newest others, no more")
		current := e.getSet(ctx, set.Name)
		history := e.recordRevisions(ctx, current)
		Expect(statefulset.KeptRevisions(history, created, []string{current.Status.CurrentRevision, current.Status.UpdateRevision}, historyLimit)).To(Succeed())

		By("rolling back to the previous, kept, revision")
		to, err := statefulset.RollBack(ctx, e.c.Kube, current)
		Expect(err).NotTo(HaveOccurred())
		rec.Mark("rollout undo to " + to.String())
		Expect(to.Name).To(Equal(created[len(created)-2]))
		back := e.waitRolledOut(ctx, set.Name)
		Expect(back.Status.UpdateRevision).To(Equal(to.Name), "the undo to a kept revision got a new revision")
		Expect(e.revisions(ctx, set)).To(HaveEach(to.Name))
		after, err := statefulset.History(ctx, e.c.Kube, back)
		Expect(err).NotTo(HaveOccurred())
		Expect(statefulset.RollBackReused(history, after, to)).To(Succeed())
	})
})
