package guarantee

import (
	"fmt"
	"time"

	"github.com/stsconform/stsconform/framework/timeline"
)

// CurrentRevisionEarly is kubernetes/kubernetes#136831 (open): the
// controller promotes currentRevision once every pod of the update
// revision is Ready, not once it is available. The API documents
// currentRevision only as the revision of the pods [0, currentReplicas),
// so no guarantee is broken and no spec fails on it: PromotionOf measures
// it, and the spec reports what it saw as an observation.
const CurrentRevisionEarly = "kubernetes/kubernetes#136831"

// Promotion is the status in which the controller first named a revision
// as currentRevision, against the moment the pods 0..replicas-1 of that
// revision had all been Ready for minReadySeconds.
type Promotion struct {
	Revision        string
	MinReadySeconds int
	Status          timeline.SetStatus
	// Available is when the last of the pods became available (Ready since
	// + minReadySeconds, by the API's Ready lastTransitionTime), and
	// LastPod which pod that was.
	Available time.Time
	LastPod   string
}

// Early is how long before the last pod was available the promotion
// arrived; zero or less when it waited.
func (p Promotion) Early() time.Duration { return p.Available.Sub(p.Status.ObservedAt) }

// String is the observation line a spec reports.
func (p Promotion) String() string {
	if e := p.Early(); e > 0 {
		return fmt.Sprintf("currentRevision became %s %s before %s was available (Ready for minReadySeconds %d): %s reproduced; the API documents currentRevision as the revision of pods [0, currentReplicas), not their availability",
			p.Revision, e.Round(100*time.Millisecond), p.LastPod, p.MinReadySeconds, CurrentRevisionEarly)
	}
	return fmt.Sprintf("currentRevision became %s %s after %s was available (Ready for minReadySeconds %d): %s not reproduced",
		p.Revision, (-p.Early()).Round(100*time.Millisecond), p.LastPod, p.MinReadySeconds, CurrentRevisionEarly)
}

// PromotionOf finds the first observed status of the window whose
// currentRevision is revision, and when the pods 0..replicas-1 on that
// revision had become available by then. An error says what the window
// lacks: no such status, or an ordinal with no Ready pod of the revision
// before it (the status counters checker judges that status).
func PromotionOf(tl timeline.Timeline, revision string, replicas, minReadySeconds int) (Promotion, error) {
	p := Promotion{Revision: revision, MinReadySeconds: minReadySeconds}
	found := false
	for _, s := range tl.Observations() {
		if s.CurrentRevision == revision {
			p.Status, found = s, true
			break
		}
	}
	if !found {
		return p, fmt.Errorf("no status of the window names %s as currentRevision (%d statuses observed)", revision, len(tl.Observations()))
	}
	latest := map[int]readySpan{}
	for _, sp := range readySpans(tl) {
		if sp.ready.Revision != revision || sp.ready.Ordinal < 0 || sp.ready.Ordinal >= replicas || sp.ready.Seq > p.Status.After {
			continue
		}
		latest[sp.ready.Ordinal] = sp
	}
	min := time.Duration(minReadySeconds) * time.Second
	for n := range replicas {
		sp, ok := latest[n]
		if !ok {
			return p, fmt.Errorf("ordinal %d has no Ready pod of revision %s before the status that promoted it (%s)", n, revision, p.Status)
		}
		if at := sp.since().Add(min); at.After(p.Available) {
			p.Available, p.LastPod = at, sp.ready.Pod
		}
	}
	return p, nil
}
