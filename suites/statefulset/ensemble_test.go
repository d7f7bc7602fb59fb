//go:build e2e

package statefulset_test

import (
	"context"
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"

	"github.com/stsconform/stsconform/framework/images"
	"github.com/stsconform/stsconform/framework/statefulset"
)

// The ZooKeeper walkthrough (seed 1) relies on three things a quorum
// ensemble needs from a StatefulSet: a unique, stable server id derived from
// the ordinal (myid = ordinal + 1), peers reachable by stable DNS names
// listed in a static configuration, and ids and data that survive deleting
// and re-creating the ensemble. This spec runs that shape with busybox
// members instead of ZooKeeper, which the offline cluster cannot pull.
const ensembleScript = `ord=${HOSTNAME##*-}; mkdir -p /www
[ -f /data/myid ] || echo $((ord + 1)) > /data/myid
cp /data/myid /www/myid; echo ok > /www/version
exec httpd -f -p 8080 -h /www`

var _ = Describe("StatefulSet quorum ensemble", Label("Conformance", "Ensemble"), func() {
	It("gives members stable ids and stable peer names that survive re-creation", SpecTimeout(cfg.Timeouts.SpecDNS), func(ctx SpecContext) {
		e := newSpecEnv(ctx, "ensemble")
		opts := []statefulset.Option{statefulset.WithReplicas(3), statefulset.WithVolumeClaim("10Mi", cfg.StorageClass), statefulset.WithCommand(ensembleScript)}
		set, svc := statefulset.New(e.ns, "zk", image(images.WebV1), opts...)
		e.record(ctx, set)
		e.deploy(ctx, set, svc)

		checkEnsemble := func() {
			GinkgoHelper()
			for i := 0; i < 3; i++ {
				member := statefulset.PodName("zk", i)
				Expect(e.exec(ctx, member, "cat", "/data/myid")).To(Equal(fmt.Sprint(i+1)), "myid of %s", member)
				for j := 0; j < 3; j++ {
					peer := fmt.Sprintf("zk-%d.%s", j, svc.Name)
					Eventually(ctx, func(ctx context.Context) (string, error) {
						return execIn(ctx, e.ns, member, "timeout", "3", "wget", "-q", "-O", "-", fmt.Sprintf("http://%s:%d/myid", peer, statefulset.Port))
					}).WithTimeout(cfg.Timeouts.DNS).WithPolling(cfg.Timeouts.Poll).Should(Equal(fmt.Sprint(j+1)), "%s asking %s for its id", member, peer)
				}
			}
		}
		checkEnsemble()

		By("deleting the ensemble and re-creating it")
		Expect(statefulset.Delete(ctx, clients.Kube, e.ns, set.Name)).To(Succeed())
		Eventually(ctx, func(ctx context.Context) ([]corev1.Pod, error) {
			return statefulset.Pods(ctx, clients.Kube, set)
		}).WithTimeout(cfg.Timeouts.PodGone).WithPolling(cfg.Timeouts.Poll).Should(BeEmpty())
		again, _ := statefulset.New(e.ns, "zk", image(images.WebV1), opts...)
		e.deploy(ctx, again, nil)
		checkEnsemble()
	})
})
