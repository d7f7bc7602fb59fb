//go:build e2e

package statefulset_test

import (
	"context"
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/stsconform/stsconform/framework/guarantee"
	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
)

// Documented: "Stable, persistent storage": each pod receives the
// PersistentVolumeClaim of its volumeClaimTemplate and ordinal; deleting the
// StatefulSet keeps the claims, so a re-created StatefulSet's pods mount
// them again. What the retention policy deletes is claim_retention_test.go's.
var _ = Describe("StatefulSet stable storage", Label(guarantee.Conformance, guarantee.Storage.Label), func() {
	t := cfg.Timeouts
	It("gives each ordinal back its data after the StatefulSet is deleted and re-created", SpecTimeout(t.Budget(t.Deploy(), 3*t.Exec, t.PodGone, t.Deploy(), 3*t.Exec)), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "data")
		// Parallel: which claim an ordinal gets does not depend on the
		// pod management policy, and the three claims provision at once.
		build := func() (*appsv1.StatefulSet, *corev1.Service) {
			return statefulset.New(e.ns, "web", e.image(images.WebV1), statefulset.WithReplicas(3), statefulset.WithParallel(),
				statefulset.WithVolumeClaim("10Mi", e.storageClass))
		}
		set, svc := build()
		e.record(ctx, set)
		e.deploy(ctx, set, svc)

		pods := statefulset.PodNames(set.Name, 3)
		claims := e.ownClaims(ctx, statefulset.ClaimTemplate, pods, nil)
		written := map[string]string{}
		for _, pod := range pods {
			written[pod] = fmt.Sprintf("%s written by uid %s", pod, e.getPod(ctx, pod).UID)
			e.exec(ctx, pod, "sh", "-c", fmt.Sprintf("echo '%s' > %s/identity && sync", written[pod], statefulset.DataDir))
		}

		By("deleting the StatefulSet and waiting for its pods to go")
		Expect(statefulset.Delete(ctx, e.c.Kube, e.ns, set.Name)).To(Succeed())
		Eventually(ctx, func(ctx context.Context) ([]corev1.Pod, error) {
			return statefulset.Pods(ctx, e.c.Kube, set)
		}).WithTimeout(t.PodGone).WithPolling(t.Poll).Should(BeEmpty())

		By("re-creating it from the same spec")
		again, _ := build()
		e.deploy(ctx, again, nil)
		e.ownClaims(ctx, statefulset.ClaimTemplate, pods, claims)
		for pod, want := range written {
			Expect(e.exec(ctx, pod, "cat", statefulset.DataDir+"/identity")).To(Equal(want), "data of %s", pod)
		}
	})
})
