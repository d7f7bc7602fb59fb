package guarantee

import (
	"fmt"
	"strings"

	"github.com/stsconform/stsconform/framework/timeline"
)

// pod is the replayed state of one pod incarnation (one UID).
type pod struct {
	name, uid, revision, phase string
	ordinal                    int
	ready, terminating         bool
	deleted                    bool
	readiness                  *timeline.Event // last Ready/Unready, nil if never Ready
	last                       timeline.Event
}

func (p *pod) runningAndReady() bool {
	return p.phase == "Running" && p.ready
}

func (p *pod) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s uid=%s revision=%s phase=%s ready=%t", p.name, p.uid, p.revision, p.phase, p.ready)
	if p.terminating {
		b.WriteString(" terminating")
	}
	if p.deleted {
		b.WriteString(" deleted")
	}
	if p.readiness != nil && p.readiness.Seq != p.last.Seq {
		fmt.Fprintf(&b, "; readiness from %s", p.readiness)
	}
	fmt.Fprintf(&b, "; last %s", p.last)
	return b.String()
}

// replay is the state of the StatefulSet's pods as of some Seq.
type replay struct {
	statefulSet string
	byUID       map[string]*pod
	live        map[int]*pod // per ordinal, the incarnation not yet Deleted
	latest      map[int]*pod // per ordinal, the newest incarnation, live or not
}

func newReplay(statefulSet string) *replay {
	return &replay{statefulSet: statefulSet, byUID: map[string]*pod{}, live: map[int]*pod{}, latest: map[int]*pod{}}
}

// pod returns the state of e's pod before e is applied, creating it if the
// timeline starts mid-life of that pod.
func (r *replay) pod(e timeline.Event) *pod {
	p, ok := r.byUID[e.UID]
	if !ok {
		p = &pod{name: e.Pod, uid: e.UID, ordinal: e.Ordinal, revision: e.Revision, phase: e.Phase, last: e}
		r.byUID[e.UID] = p
	}
	return p
}

func (r *replay) apply(e timeline.Event) {
	p := r.pod(e)
	if e.Revision != "" {
		p.revision = e.Revision
	}
	if e.Phase != "" {
		p.phase = e.Phase
	}
	p.last = e
	switch e.Kind {
	case timeline.Ready:
		p.ready = true
		p.readiness = &e
	case timeline.Unready:
		p.ready = false
		p.readiness = &e
	case timeline.Terminating:
		p.terminating = true
	case timeline.Deleted:
		p.deleted = true
	}
	if e.Ordinal < 0 {
		return
	}
	r.latest[e.Ordinal] = p
	if p.deleted {
		if r.live[e.Ordinal] == p {
			delete(r.live, e.Ordinal)
		}
	} else {
		r.live[e.Ordinal] = p
	}
}

// describe renders the state of ordinal n as one line of evidence.
func (r *replay) describe(n int) string {
	if p := r.live[n]; p != nil {
		return p.String()
	}
	name := fmt.Sprintf("%s-%d", r.statefulSet, n)
	if p := r.latest[n]; p != nil {
		return fmt.Sprintf("%s: no live pod; last incarnation %s", name, p)
	}
	return fmt.Sprintf("%s: no live pod; never seen", name)
}

// startsTermination reports whether e is the first sign that its pod is
// going away: Terminating, or Deleted when no Terminating was seen (a delete
// whose final object lacks deletionTimestamp must still be judged).
func (r *replay) startsTermination(e timeline.Event) bool {
	switch e.Kind {
	case timeline.Terminating:
		return true
	case timeline.Deleted:
		p, ok := r.byUID[e.UID]
		return !ok || !p.terminating
	}
	return false
}
