package disruption

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/client-go/kubernetes"
	policyv1client "k8s.io/client-go/kubernetes/typed/policy/v1"
)

// Refusal is an eviction the API server answered with an error, kept as
// it was returned: the drain library prints refusals as text and drops the
// status causes, which are what name the PodDisruptionBudget.
type Refusal struct {
	Namespace, Pod string
	Err            error
}

func (r Refusal) String() string {
	s := fmt.Sprintf("%s/%s: %v", r.Namespace, r.Pod, r.Err)
	if why := BlockReason(r.Err); why != "" {
		s += " (" + why + ")"
	}
	return s
}

// refusalLog keeps, per pod, the last answer to its eviction when that
// answer was an error. Evictions of different pods run in parallel.
type refusalLog struct {
	mu   sync.Mutex
	last map[string]Refusal // by namespace/pod
}

func newRefusalLog() *refusalLog { return &refusalLog{last: map[string]Refusal{}} }

func (l *refusalLog) record(namespace, pod string, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	key := namespace + "/" + pod
	if err == nil {
		delete(l.last, key)
		return
	}
	l.last[key] = Refusal{Namespace: namespace, Pod: pod, Err: err}
}

func (l *refusalLog) refusals() []Refusal {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Refusal, 0, len(l.last))
	for _, r := range l.last {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Refusal) int {
		return strings.Compare(a.Namespace+"/"+a.Pod, b.Namespace+"/"+b.Pod)
	})
	return out
}

// recordingClient is the client the drain library gets: everything passes
// through, and the answer to every policy/v1 eviction is logged. The
// library falls back to policy/v1beta1 only on API servers older than
// 1.22, which have no policy/v1 evictions and are not supported here.
type recordingClient struct {
	kubernetes.Interface
	log *refusalLog
}

func (c recordingClient) PolicyV1() policyv1client.PolicyV1Interface {
	return recordingPolicy{c.Interface.PolicyV1(), c.log}
}

type recordingPolicy struct {
	policyv1client.PolicyV1Interface
	log *refusalLog
}

func (p recordingPolicy) Evictions(namespace string) policyv1client.EvictionInterface {
	return recordingEvictions{p.PolicyV1Interface.Evictions(namespace), p.log}
}

type recordingEvictions struct {
	policyv1client.EvictionInterface
	log *refusalLog
}

func (e recordingEvictions) Evict(ctx context.Context, eviction *policyv1.Eviction) error {
	err := e.EvictionInterface.Evict(ctx, eviction)
	e.log.record(eviction.Namespace, eviction.Name, err)
	return err
}
