package guarantee

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/stsconform/stsconform/framework/timeline"
)

// PodIndexRule is the documented pod index label (GA in v1.32).
var PodIndexRule = Rule{
	Name: "pod index label",
	Doc:  "\"When the StatefulSet controller creates a Pod, the new Pod is labelled with apps.kubernetes.io/pod-index. The value of this label is the ordinal index of the Pod.\"",
}

var podIndexLabelled = &Checker{
	Name: "pod-index-label", Rule: PodIndexRule,
	Judges: "every pod of the set, from its first sight, labelled apps.kubernetes.io/pod-index with its ordinal",
	input:  func() Check { return new(PodIndexInput) },
}

// PodIndexInput names the ordinals whose pods the pod-index-label checker
// must see: First to First+Replicas-1 (First is .spec.ordinals.start, 0
// without it).
type PodIndexInput struct {
	First    int `json:"first,omitempty"`
	Replicas int `json:"replicas"`
}

func (PodIndexInput) Checker() *Checker { return podIndexLabelled }

func (in PodIndexInput) String() string {
	return fmt.Sprintf("pod-index label of every pod, ordinals %d to %d at least", in.First, in.First+in.Replicas-1)
}

// Judge checks that every pod incarnation of the set (every UID with an
// ordinal) carried apps.kubernetes.io/pod-index equal to its ordinal on the
// first event the timeline shows of it: the label is set at creation, so a
// pod first seen without it was created without it. Later events are not
// judged, since anyone may relabel a pod.
//
// The timeline must hold events of each ordinal First..First+Replicas-1;
// otherwise an *EvidenceError says which are missing. A recording made
// before the recorder kept the label shows it missing on every pod: judge
// only recordings whose events carry podIndex.
func (in PodIndexInput) Judge(tl timeline.Timeline) error {
	if in.Replicas <= 0 || in.First < 0 {
		return errors.New("pod-index-label: replicas must be positive and first not negative")
	}
	if err := requireEvents(tl, PodIndexRule, span(in.First, in.First+in.Replicas)); err != nil {
		return err
	}
	seen := map[string]bool{}
	var vs Violations
	for _, e := range tl.Events {
		if e.Ordinal < 0 || seen[e.UID] {
			continue
		}
		seen[e.UID] = true
		if want := strconv.Itoa(e.Ordinal); e.PodIndex != want {
			got := fmt.Sprintf("label %s=%q", timeline.PodIndexLabel, e.PodIndex)
			if e.PodIndex == "" {
				got = "no label " + timeline.PodIndexLabel
			}
			vs = append(vs, Violation{
				Rule:    PodIndexRule,
				Event:   at(e),
				Problem: fmt.Sprintf("%s uid=%s (ordinal %d) was first seen with %s, want %q", e.Pod, e.UID, e.Ordinal, got, want),
			})
		}
	}
	return vs.err()
}
