package disruption

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilerrors "k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/client-go/kubernetes/fake"
	clienttesting "k8s.io/client-go/testing"
)

// evictionsAnswer answers each pod's eviction with answer[pod]; a pod
// without an entry is accepted but left in place (a pod that does not
// terminate).
func evictionsAnswer(c *fake.Clientset, answer map[string]error) {
	c.PrependReactor("create", "pods", func(a clienttesting.Action) (bool, runtime.Object, error) {
		if a.GetSubresource() != "eviction" {
			return false, nil, nil
		}
		m, err := meta.Accessor(a.(clienttesting.CreateAction).GetObject())
		if err != nil {
			return true, nil, err
		}
		return true, nil, answer[m.GetName()]
	})
}

// forbidden is what RBAC answers a drainer without create on pods/eviction.
func forbidden(pod string) error {
	return apierrors.NewForbidden(schema.GroupResource{Resource: "pods/eviction"}, pod,
		errors.New(`User "system:serviceaccount:sts:drainer" cannot create resource "pods/eviction" in API group "" in the namespace "sts"`))
}

// throttled is API priority and fairness turning a request away: 429
// without the DisruptionBudget cause.
func throttled() error {
	return apierrors.NewTooManyRequests("too many requests, please try again later", 1)
}

func budgetRefusal(msg string) error {
	err := apierrors.NewTooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", 10)
	err.ErrStatus.Details.Causes = append(err.ErrStatus.Details.Causes, metav1.StatusCause{Type: policyv1.DisruptionBudgetCause, Message: msg})
	return err
}

// drainFake drains kind-worker holding the given StatefulSet pods of
// namespace sts, evictions answered by answer.
func drainFake(t *testing.T, answer map[string]error, pods ...string) error {
	t.Helper()
	objs := []runtime.Object{node("kind-worker", false)}
	for _, p := range pods {
		objs = append(objs, pod("sts", p, "kind-worker", "StatefulSet"))
	}
	c := fake.NewClientset(objs...)
	withEviction(c)
	evictionsAnswer(c, answer)
	err := Drain(context.Background(), DrainInput{Client: c, Node: "kind-worker", Timeout: 300 * time.Millisecond, EvictRetryDelay: 50 * time.Millisecond})
	if err == nil {
		t.Fatal("drain succeeded")
	}
	return err
}

func TestDrainBlockedByPDBOnARealDrain(t *testing.T) {
	err := drainFake(t, map[string]error{"web-1": pdbRefusal()}, "web-1")
	b, ok := DrainBlockedByPDB(err)
	if !ok {
		t.Fatalf("a drain refused by a budget not recognised:\n%v", err)
	}
	want := BudgetBlock{Namespace: "sts", Pod: "web-1", Budget: "web", Reason: "The disruption budget web needs 3 healthy pods and has 2 currently"}
	if b != want {
		t.Errorf("DrainBlockedByPDB = %+v, want %+v", b, want)
	}
	for _, s := range []string{`error when evicting pods/"web-1" -n "sts": global timeout reached`, "last eviction refusals:\n  sts/web-1: Cannot evict pod", "(The disruption budget web needs 3"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("drain error lacks %q:\n%v", s, err)
		}
	}
	if _, ok := DrainBlockedByPDB(fmt.Errorf("step 3: %w", err)); !ok {
		t.Error("a wrapped drain error not recognised")
	}
}

func TestDrainBlockedByPDBNotForOtherFailures(t *testing.T) {
	cases := map[string]func(t *testing.T) error{
		"timeout without any 429 (evicted, never terminated)": func(t *testing.T) error {
			return drainFake(t, map[string]error{}, "web-1")
		},
		"429 from API priority and fairness": func(t *testing.T) error {
			return drainFake(t, map[string]error{"web-1": throttled()}, "web-1")
		},
		"RBAC 403": func(t *testing.T) error {
			return drainFake(t, map[string]error{"web-1": forbidden("web-1")}, "web-1")
		},
		"one pod refused by a budget, another forbidden": func(t *testing.T) error {
			return drainFake(t, map[string]error{"web-1": pdbRefusal(), "web-2": forbidden("web-2")}, "web-1", "web-2")
		},
		"node not found": func(t *testing.T) error {
			return Drain(context.Background(), DrainInput{Client: fake.NewClientset(), Node: "kind-worker"})
		},
		"the library's text alone": func(t *testing.T) error {
			return utilerrors.NewAggregate([]error{errors.New(`error when evicting pods/"web-1" -n "sts": global timeout reached: 15s`)})
		},
	}
	for name, run := range cases {
		t.Run(name, func(t *testing.T) {
			err := run(t)
			if b, ok := DrainBlockedByPDB(err); ok {
				t.Errorf("reported as a budget's refusal (%+v):\n%v", b, err)
			}
			t.Logf("not a budget's refusal:\n%v", err)
		})
	}
}

// Errors shaped as the drain library writes them (one aggregate line per
// pod) and as API servers word a budget's refusal, old and new.
func TestDrainBlockedByPDBShapes(t *testing.T) {
	timedOut := func(pod string) error {
		return fmt.Errorf("error when evicting pods/%q -n %q: global timeout reached: %v", pod, "sts", 15*time.Second)
	}
	drainErr := func(failures []error, refusals ...Refusal) error {
		return &DrainError{Node: "kind-worker", Timeout: 15 * time.Second, Err: utilerrors.NewAggregate(failures), Refusals: refusals}
	}
	cases := []struct {
		name   string
		err    error
		ok     bool
		budget string
		pod    string
	}{
		{"needs healthy pods", drainErr([]error{timedOut("web-2")}, Refusal{"sts", "web-2", budgetRefusal("The disruption budget web needs 2 healthy pods and has 1 currently")}), true, "web", "web-2"},
		{"still being processed", drainErr([]error{timedOut("web-2")}, Refusal{"sts", "web-2", budgetRefusal("The disruption budget web-pdb is still being processed by the server.")}), true, "web-pdb", "web-2"},
		{"failed sync (1.31+)", drainErr([]error{timedOut("web-2")}, Refusal{"sts", "web-2", budgetRefusal("The disruption budget web does not allow evicting pods currently because it failed sync: found no controllers")}), true, "web", "web-2"},
		{"two pods, first by name", drainErr([]error{timedOut("web-2"), timedOut("web-1")},
			Refusal{"sts", "web-1", budgetRefusal("The disruption budget a needs 2 healthy pods and has 1 currently")},
			Refusal{"sts", "web-2", budgetRefusal("The disruption budget b needs 2 healthy pods and has 1 currently")}), true, "a", "web-1"},
		{"timed out without a recorded refusal", drainErr([]error{timedOut("web-2")}), false, "", ""},
		{"refusal of another pod", drainErr([]error{timedOut("web-2")}, Refusal{"sts", "web-1", pdbRefusal()}), false, "", ""},
		{"waiting for termination timed out", drainErr([]error{errors.New(`error when waiting for pod "web-2" in namespace "sts" to terminate: context deadline exceeded`)},
			Refusal{"sts", "web-2", pdbRefusal()}), false, "", ""},
		{"refusal without a budget's name", drainErr([]error{timedOut("web-2")}, Refusal{"sts", "web-2", budgetRefusal("no name here")}), true, "", "web-2"},
		{"nil", nil, false, "", ""},
	}
	for _, c := range cases {
		b, ok := DrainBlockedByPDB(c.err)
		if ok != c.ok || b.Budget != c.budget || b.Pod != c.pod {
			t.Errorf("%s: DrainBlockedByPDB = %+v, %t; want budget %q pod %q, %t", c.name, b, ok, c.budget, c.pod, c.ok)
		}
	}
}
