package config

import (
	"fmt"
	"time"
)

// A spec budget is a Ginkgo SpecTimeout: the backstop for what no wait
// bounds (an API call that hangs, say), never the first thing to fire.
// Each must exceed the sum of the waits inside every spec it covers: a
// spec's waits run one after another and each may use nearly all its
// timeout and still pass, so a smaller budget would cut the last wait short
// and the spec would fail with "timed out" instead of that wait's own
// message. The defaults are derived from specUses below (the largest sum,
// plus Slack, rounded up to a minute); Validate refuses an override, of a
// budget or of a wait, that breaks the rule.
var budgets = []struct {
	flag  string
	field func(*Timeouts) *time.Duration
	help  string
}{
	{"timeout-spec-short", func(t *Timeouts) *time.Duration { return &t.SpecShort }, "specs with one StatefulSet and a few waits"},
	{"timeout-spec-long", func(t *Timeouts) *time.Duration { return &t.SpecLong }, "specs that roll out a StatefulSet twice"},
	{"timeout-spec-dns", func(t *Timeouts) *time.Duration { return &t.SpecDNS }, "specs that wait for DNS name by name"},
	{"timeout-spec-disruptive", func(t *Timeouts) *time.Duration { return &t.SpecDisruptive }, "drain and node failure specs"},
}

// specUse is one spec under a budget, with its waits in the order it runs
// them. It mirrors suites/statefulset (config_test checks that the files
// and texts exist); change both together.
type specUse struct {
	budget string // flag of the budget
	file   string // under suites/statefulset
	spec   string // the It or DescribeTable text
	waits  func(t Timeouts) []time.Duration
}

// deploy is Create then waitRolledOut: the controller observing the set,
// then the set rolled out.
func deploy(t Timeouts) []time.Duration { return []time.Duration{t.ControllerObserve, t.SetReady} }

func waits(groups ...[]time.Duration) []time.Duration {
	var out []time.Duration
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

func times(n int, d ...time.Duration) []time.Duration {
	var out []time.Duration
	for range n {
		out = append(out, d...)
	}
	return out
}

// kubectlEvictRetryDelay is slept by the drain library after a refused
// eviction without watching its timeout, so a blocked drain overruns by it.
const kubectlEvictRetryDelay = 5 * time.Second

// The cluster specs (cluster_test.go) have no budget: their waits grow
// with the number of nodes (a DNS and an HTTP wait per pair of nodes).
var specUses = []specUse{
	{"timeout-spec-short", "ordered_creation_test.go", "creates pod N+1 only after pod N is Running and Ready", func(t Timeouts) []time.Duration {
		// observed; web-0 Ready and web-1 Running; the hold; the release
		// exec; rolled out; web-2 Ready on the timeline.
		return waits([]time.Duration{t.ControllerObserve, t.PodReady, t.HoldObserved, t.Exec}, deploy(t), []time.Duration{t.PodReady})
	}},
	{"timeout-spec-long", "ordered_creation_test.go", "scales from 3 to 10 creating each pod after its predecessors are Ready", func(t Timeouts) []time.Duration {
		return waits(deploy(t), deploy(t), []time.Duration{t.PodReady})
	}},
	{"timeout-spec-short", "parallel_test.go", "creates and deletes pods without waiting for their predecessors to be Ready", func(t Timeouts) []time.Duration {
		// observed; web-1 and web-2 Ready, web-0 Running; scaled down, web-1
		// and web-2 Deleted; release; rolled out.
		return waits([]time.Duration{t.ControllerObserve, t.PodReady, t.PodGone, t.Exec}, deploy(t))
	}},
	{"timeout-spec-short", "ordered_teardown_test.go", "scales down highest ordinal first, each pod only after its successors are gone", func(t Timeouts) []time.Duration {
		return waits(deploy(t), []time.Duration{t.PodGone})
	}},
	{"timeout-spec-short", "ordered_teardown_test.go", "halts a scale-down while a pod it keeps is unready, and goes on once that pod is Ready", func(t Timeouts) []time.Duration {
		// deployed; hold web-0 and its Unready; scaled down and observed;
		// the halt; release; web-1 Deleted.
		return waits(deploy(t), []time.Duration{t.Exec, t.PodReady, t.ControllerObserve, t.HoldObserved, t.Exec, t.PodGone})
	}},
	{"timeout-spec-short", "ordered_teardown_test.go", "deletes the pods and keeps the PersistentVolumeClaims when the StatefulSet is deleted", func(t Timeouts) []time.Duration {
		return waits(deploy(t), []time.Duration{t.PodGone})
	}},
	{"timeout-spec-long", "rolling_update_test.go", "replaces pods from the highest ordinal down, one at a time, each after its successor is Ready", func(t Timeouts) []time.Duration {
		return waits(deploy(t), deploy(t), []time.Duration{t.PodReady}, times(3, t.Exec))
	}},
	{"timeout-spec-long", "rolling_update_test.go", "updates only ordinals at or above the partition as it is lowered step by step, and restores a deleted pod below it on the old revision", func(t Timeouts) []time.Duration {
		// deployed; the canary observed and held; per lowering (2, 1, 0)
		// observed and the one or two pods it reaches Ready on the
		// timeline; web-0 deleted and its replacement Ready.
		return waits(deploy(t), []time.Duration{t.ControllerObserve, t.HoldObserved}, times(3, t.ControllerObserve, t.PodReady), []time.Duration{t.PodReady})
	}},
	{"timeout-spec-long", "rolling_update_test.go", "rolls back to the previous revision, reusing its ControllerRevision, from the highest ordinal down, one at a time", func(t Timeouts) []time.Duration {
		// deployed; updated to v2 and its Ready on the timeline; undone and
		// rolled out; every Ready on the timeline; three version checks.
		return waits(deploy(t), deploy(t), []time.Duration{t.PodReady}, deploy(t), []time.Duration{t.PodReady}, times(3, t.Exec))
	}},
	{"timeout-spec-long", "data_survival_test.go", "gives each ordinal back its data after the StatefulSet is deleted and re-created", func(t Timeouts) []time.Duration {
		return waits(deploy(t), times(3, t.Exec), []time.Duration{t.PodGone}, deploy(t), times(3, t.Exec))
	}},
	{"timeout-spec-short", "data_survival_test.go", "deletes claims on scale-down and deletion when the retention policy says Delete", func(t Timeouts) []time.Duration {
		return waits(deploy(t), []time.Duration{t.PodGone, t.PodGone})
	}},
	{"timeout-spec-dns", "network_identity_test.go", "gives each pod a hostname and pod.service DNS names that follow it when it is recreated", func(t Timeouts) []time.Duration {
		// deployed; probe Ready; per pod two execs and two names; web-1
		// recreated; its hostname and two names again.
		return waits(deploy(t), []time.Duration{t.PodReady}, times(3, t.Exec, t.Exec, t.DNS, t.DNS),
			[]time.Duration{t.PodReady, t.Exec, t.DNS, t.DNS})
	}},
	{"timeout-spec-dns", "network_identity_test.go", "resolves the headless Service to its ready pods, lists each in SRV records and serves each by its FQDN", func(t Timeouts) []time.Duration {
		// deployed; probe Ready; the name and SRV; three GETs; hold web-2;
		// the name and SRV without it.
		return waits(deploy(t), []time.Duration{t.PodReady, t.DNS, t.DNS}, times(3, t.Exec), []time.Duration{t.Exec, t.DNS, t.DNS})
	}},
	{"timeout-spec-short", "failed_pod_test.go", "deletes and recreates a pod its node rejected, with the same name, until it runs", func(t Timeouts) []time.Duration {
		// the port holder Ready; observed; web-0 rejected and recreated;
		// web-0 Ready once the port is free; its hostname.
		return []time.Duration{t.PodReady, t.ControllerObserve, t.PodReady, t.PodReady, t.Exec}
	}},
	{"timeout-spec-long", "api_test.go", "serves the scale subresource: replicas read and written through it, and the set follows in order", func(t Timeouts) []time.Duration {
		// scaled up through /scale and rolled out; web-1 Ready on the
		// timeline; scaled down and rolled out; web-1 Deleted.
		return waits(deploy(t), []time.Duration{t.PodReady}, deploy(t), []time.Duration{t.PodGone})
	}},
	{"timeout-spec-short", "api_test.go", "serves the status subresource: read, updated and patched, never changing the spec", func(t Timeouts) []time.Duration {
		return nil // API calls only
	}},
	{"timeout-spec-short", "api_test.go", "lists, patches and deletes a collection of StatefulSets by label", func(t Timeouts) []time.Duration {
		// the patch observed; the new web-0 Ready; its version; the
		// collection gone from the list; web-0 Deleted.
		return []time.Duration{t.ControllerObserve, t.PodReady, t.Exec, t.PodGone, t.PodGone}
	}},
	{"timeout-spec-disruptive", "disruption_budget_test.go", "blocks the drain while the budget is exhausted and completes it once the budget allows", func(t Timeouts) []time.Duration {
		// earlier specs' namespaces gone; deployed; budget allows 1; hold
		// web-0; budget allows 0; blocked drain; release web-0; budget
		// allows 1; drain; rolled out.
		return waits([]time.Duration{t.Cleanup}, deploy(t), []time.Duration{t.PodReady, t.Exec, t.PodReady, t.DrainBlocked + kubectlEvictRetryDelay,
			t.Exec, t.PodReady, t.Drain}, deploy(t))
	}},
	{"timeout-spec-disruptive", "node_failure_test.go", "recreates a lost node's pod elsewhere with its identity and its data", func(t Timeouts) []time.Duration {
		// earlier specs' namespaces gone; deployed; write; NotReady; not
		// replaced; recreated and Ready; hostname and data; probe; two names.
		return waits([]time.Duration{t.Cleanup}, deploy(t), []time.Duration{t.Exec, t.NodeNotReady, t.HoldObserved, t.Reschedule, t.Exec, t.Exec, t.PodReady, t.DNS, t.DNS})
	}},
}

func sum(ds []time.Duration) time.Duration {
	var total time.Duration
	for _, d := range ds {
		total += d
	}
	return total
}

// deriveBudgets sets each budget to the largest sum of waits among its
// specs, plus Slack, rounded up to a whole minute.
func (t *Timeouts) deriveBudgets() {
	for _, b := range budgets {
		var need time.Duration
		for _, u := range specUses {
			if u.budget == b.flag {
				need = max(need, sum(u.waits(*t)))
			}
		}
		need += t.Slack
		if r := need % time.Minute; r != 0 {
			need += time.Minute - r
		}
		*b.field(t) = need
	}
}

// checkBudgets refuses a budget that does not exceed the waits of a spec
// it covers, naming the spec, so that an override of a wait that forgets
// the budget fails before any spec runs.
func (t Timeouts) checkBudgets() error {
	for _, b := range budgets {
		budget := *b.field(&t)
		for _, u := range specUses {
			if u.budget != b.flag {
				continue
			}
			if need := sum(u.waits(t)); budget <= need {
				return fmt.Errorf("--%s %s does not exceed the %s of waits in %s %q: raise it above that, or lower the waits",
					b.flag, budget, need, u.file, u.spec)
			}
		}
	}
	return nil
}
