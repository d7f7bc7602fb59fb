package disruption

import (
	"errors"
	"regexp"
	"strings"
	"time"

	utilerrors "k8s.io/apimachinery/pkg/util/errors"
)

// DrainError is a drain that did not complete: the drain library's error
// and, per pod whose last eviction was refused, that refusal as the API
// server returned it.
type DrainError struct {
	Node    string
	Timeout time.Duration
	// Err is the drain library's error: an aggregate of one line per pod
	// that did not go.
	Err      error
	Refusals []Refusal
}

func (e *DrainError) Error() string {
	var b strings.Builder
	b.WriteString("drain: node " + e.Node + " (timeout " + e.Timeout.String() + "): " + e.Err.Error())
	if len(e.Refusals) > 0 {
		b.WriteString("\nlast eviction refusals:")
		for _, r := range e.Refusals {
			b.WriteString("\n  " + r.String())
		}
	}
	return b.String()
}

func (e *DrainError) Unwrap() error { return e.Err }

// BudgetBlock is a drain stopped by a PodDisruptionBudget.
type BudgetBlock struct {
	Namespace, Pod string
	// Budget is the PodDisruptionBudget's name, from the refusal's cause;
	// empty if the API server's message did not name it.
	Budget string
	// Reason is the budget's own words, e.g. "The disruption budget web
	// needs 2 healthy pods and has 1 currently".
	Reason string
}

// timedOutEviction is how the drain library reports a pod still refused
// when its timeout ran out (k8s.io/kubectl/pkg/drain, evictPods).
var timedOutEviction = regexp.MustCompile(`^error when evicting pods/"([^"]+)" -n "([^"]+)": global timeout reached`)

// DrainBlockedByPDB reports whether err is a drain that failed only because
// PodDisruptionBudgets refused evictions: a *DrainError (from Drain) whose
// every failed pod ran out of time with its last eviction answered 429
// TooManyRequests with the DisruptionBudget cause. It returns the first
// such pod, by namespace and name, and the budget that refused it.
//
// Anything else is not a budget's refusal, even when a budget also refused
// a pod: a timeout without a 429, a 429 from API priority and fairness, a
// pod evicted that did not terminate in time, a 403 from RBAC, an unknown
// node, or the drain library's text without Drain's record of the answers.
func DrainBlockedByPDB(err error) (BudgetBlock, bool) {
	var de *DrainError
	if !errors.As(err, &de) || de.Err == nil {
		return BudgetBlock{}, false
	}
	refused := map[string]Refusal{}
	for _, r := range de.Refusals {
		refused[r.Namespace+"/"+r.Pod] = r
	}
	failures := []error{de.Err}
	var agg utilerrors.Aggregate
	if errors.As(de.Err, &agg) {
		failures = agg.Errors()
	}
	var blocks []BudgetBlock
	for _, f := range failures {
		m := timedOutEviction.FindStringSubmatch(f.Error())
		if m == nil {
			return BudgetBlock{}, false
		}
		r, ok := refused[m[2]+"/"+m[1]]
		if !ok || !IsBlockedByPDB(r.Err) {
			return BudgetBlock{}, false
		}
		reason := BlockReason(r.Err)
		blocks = append(blocks, BudgetBlock{Namespace: r.Namespace, Pod: r.Pod, Budget: budgetName(reason), Reason: reason})
	}
	if len(blocks) == 0 {
		return BudgetBlock{}, false
	}
	first := blocks[0]
	for _, b := range blocks[1:] {
		if b.Namespace+"/"+b.Pod < first.Namespace+"/"+first.Pod {
			first = b
		}
	}
	return first, true
}

// budgetName reads the budget's name out of the cause message. Every
// message the eviction handler writes for a budget starts "The disruption
// budget <name> " (needs N healthy pods, is still being processed, does not
// allow evicting pods currently, ...).
func budgetName(reason string) string {
	rest, ok := strings.CutPrefix(reason, "The disruption budget ")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, " ")
	return name
}
