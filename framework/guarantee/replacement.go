package guarantee

import (
	"fmt"

	"github.com/stsconform/stsconform/framework/timeline"
)

// FailedReplacementRule is what the StatefulSet controller owes a pod that
// its node failed: upstream's conformance test "Should recreate evicted
// statefulset" states it, the StatefulSet page's Pod identity section says
// which pod comes back.
var FailedReplacementRule = Rule{
	Name: "failed pod replacement",
	Doc: "\"StatefulSet MUST delete and recreate Pods it owns that go into a Failed state, such as when they are rejected or evicted by a Node\" " +
		"(Kubernetes conformance, StatefulSet, Recreate Failed Pod); \"the identity sticks to the Pod, regardless of which node it's (re)scheduled on\"",
}

// incarnation is one UID of a pod name, as the timeline shows it.
type incarnation struct {
	uid                          string
	failed, ready, deleted, last *timeline.Event
	replacedBy                   *timeline.Event // the next incarnation's Created, after deleted
}

// incarnations lists the incarnations of pod in the order they appear.
func incarnations(tl timeline.Timeline, pod string) []*incarnation {
	var out []*incarnation
	byUID := map[string]*incarnation{}
	for _, e := range tl.Events {
		if e.Pod != pod {
			continue
		}
		in := byUID[e.UID]
		if in == nil {
			in = &incarnation{uid: e.UID}
			byUID[e.UID] = in
			if n := len(out); n > 0 && out[n-1].deleted != nil && e.Kind == timeline.Created {
				out[n-1].replacedBy = at(e)
			}
			out = append(out, in)
		}
		in.last = at(e)
		switch {
		case e.Kind == timeline.Ready && in.ready == nil:
			in.ready = at(e)
		case e.Kind == timeline.Deleted:
			in.deleted = at(e)
		}
		// The phase, not only the Failed event: recordings made before
		// the recorder had that event show it on the Terminating after.
		if e.Phase == "Failed" && in.failed == nil {
			in.failed = at(e)
		}
	}
	return out
}

// Replacements counts the incarnations of pod that failed, were deleted and
// were followed by a new incarnation of the same name: how often the
// controller has recreated the pod so far. Specs wait on it.
func Replacements(tl timeline.Timeline, pod string) int {
	n := 0
	for _, in := range incarnations(tl, pod) {
		if in.failed != nil && in.replacedBy != nil {
			n++
		}
	}
	return n
}

var failedReplaced = &Checker{
	Name: "failed-replaced", Rule: FailedReplacementRule,
	Judges: "a pod its node failed: each Failed incarnation deleted and created again, the last Running and Ready",
	input:  func() Check { return new(FailedReplacedInput) },
}

// FailedReplacedInput names the pod the failed-replaced checker judges.
type FailedReplacedInput struct {
	Pod string `json:"pod"`
}

func (FailedReplacedInput) Checker() *Checker { return failedReplaced }

func (in FailedReplacedInput) String() string { return in.Pod + " failed and replaced" }

// Judge checks a recording in which the node failed Pod (phase Failed:
// rejected at admission, evicted): every incarnation seen Failed was
// deleted and a new pod of the same name was created after it, and the
// last incarnation became Running and Ready.
//
// The recording must show the pod failing at least once; otherwise an
// *EvidenceError says so, since there was nothing to recover from.
func (in FailedReplacedInput) Judge(tl timeline.Timeline) error {
	pod := in.Pod
	ins := incarnations(tl, pod)
	if len(ins) == 0 {
		return lacks(tl, FailedReplacementRule, "pod "+pod, "the timeline holds 0 events for it; "+holds(tl))
	}
	failures := 0
	var vs Violations
	for _, in := range ins {
		if in.failed == nil {
			continue
		}
		failures++
		switch {
		case in.deleted == nil:
			vs = append(vs, Violation{Rule: FailedReplacementRule, Event: in.failed,
				Problem: fmt.Sprintf("%s uid=%s failed and was never deleted: the controller left the Failed pod in place instead of recreating it", pod, in.uid)})
		case in.replacedBy == nil:
			vs = append(vs, Violation{Rule: FailedReplacementRule, Event: in.deleted,
				Problem: fmt.Sprintf("%s uid=%s failed and was deleted, but no %s was created after it", pod, in.uid, pod)})
		}
	}
	if failures == 0 {
		return lacks(tl, FailedReplacementRule, "a Failed incarnation of "+pod,
			fmt.Sprintf("none of its %d incarnation(s) was seen in phase Failed, so the recording shows nothing to recover from", len(ins)))
	}
	if final := ins[len(ins)-1]; final.failed == nil && (final.ready == nil || final.deleted != nil) {
		vs = append(vs, Violation{Rule: FailedReplacementRule, Event: final.last,
			Problem: fmt.Sprintf("the last %s (uid=%s, after %d failure(s)) never became Running and Ready", pod, final.uid, failures)})
	}
	return vs.err()
}
