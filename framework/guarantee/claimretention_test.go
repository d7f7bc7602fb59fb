package guarantee

import (
	"fmt"
	"testing"
	"time"

	"github.com/stsconform/stsconform/framework/timeline"
)

var (
	setOwner   = timeline.Owner{Kind: "StatefulSet", Name: "web", UID: "uid-set", Controller: true}
	otherOwner = timeline.Owner{Kind: "ConfigMap", Name: "keeper", UID: "uid-keeper", Controller: true}
)

func podOwner(n int) timeline.Owner {
	return timeline.Owner{Kind: "Pod", Name: fmt.Sprintf("web-%d", n), UID: fmt.Sprintf("uid-%d-1", n), Controller: true}
}

// emitClaim is a claim event of data-web-n, as WatchClaims records it.
func (s *script) emitClaim(kind timeline.EventKind, n int, owners ...timeline.Owner) *script {
	seq := len(s.events) + 1
	s.events = append(s.events, timeline.Event{
		Seq: seq, Kind: kind, Claim: fmt.Sprintf("data-web-%d", n), Ordinal: -1, UID: fmt.Sprintf("claim-uid-%d", n),
		ResourceVersion: fmt.Sprint(1000 + seq), ObservedAt: epoch.Add(time.Duration(seq) * time.Second),
		Phase: "Bound", Owners: owners, Baseline: s.baseline,
	})
	return s
}

func (s *script) claim(n int, owners ...timeline.Owner) *script {
	return s.emitClaim(timeline.ClaimCreated, n, owners...)
}

func (s *script) claimOwners(n int, owners ...timeline.Owner) *script {
	return s.emitClaim(timeline.ClaimOwnersChanged, n, owners...)
}

// claimGone is the garbage collector deleting the claim and the
// pvc-protection finalizer letting it go.
func (s *script) claimGone(n int) *script {
	return s.emitClaim(timeline.ClaimTerminating, n).emitClaim(timeline.ClaimDeleted, n)
}

// retentionStart is three pods up with their claims owned by the set, as
// the window of a scale-down or deletion starts.
func retentionStart(foreign ...int) func() (*script, int) {
	return func() (*script, int) {
		s := newScript().asBaseline(true)
		for n := range 3 {
			s.up(n, "r1")
			if len(foreign) > 0 && foreign[0] == n {
				s.claim(n, otherOwner)
			} else {
				s.claim(n, setOwner)
			}
		}
		s.asBaseline(false)
		return s, len(s.events)
	}
}

func retention(in ClaimRetentionInput) func(int) func(timeline.Timeline) error {
	in.Template = "data"
	return func(mark int) func(timeline.Timeline) error {
		return func(tl timeline.Timeline) error { return in.Judge(tl.Since(mark)) }
	}
}

func TestClaimRetentionOnScaleDown(t *testing.T) {
	scaled := ClaimRetentionInput{WhenDeleted: Retain, WhenScaled: Delete, Replicas: 1}
	runBuilt(t, retentionStart(), retention(scaled), []builtCase{
		{name: "claims of web-2 and web-1 go after their pods", build: func(s *script) *script {
			return s.claimOwners(2, podOwner(2)).down(2).claimGone(2).claimOwners(1, podOwner(1)).down(1).claimGone(1)
		}},
		{name: "the claim of web-2 kept", build: func(s *script) *script {
			return s.down(2).claimGone(1).down(1).claimGone(1)
		}, wantIn: []string{"claim retention: claim data-web-2 is still there after its pod web-2 was deleted, although whenScaled is Delete and the scale to 1 removed ordinal 2"}},
		{name: "the claim of web-0, which the set keeps, deleted", build: func(s *script) *script {
			return s.down(2).claimGone(2).down(1).claimGone(1).claimGone(0)
		}, wantIn: []string{"claim data-web-0 was deleted, but ordinal 0 is below the 1 replicas the set keeps", "offending event: #"}},
		{name: "a claim gone before its pod", build: func(s *script) *script {
			return s.terminating(2).claimGone(2).unready(2).deleted(2).down(1).claimGone(1)
		}, wantIn: []string{"claim data-web-2 was gone while its pod web-2 was still there", "web-2 uid=uid-2-1"}},
		{name: "the window ends before web-1 goes", build: func(s *script) *script {
			return s.down(2).claimGone(2).terminating(1)
		}, lacks: true, wantIn: []string{"evidence lacks the deletion of web-1: the window ends with web-1 still there"}},
	})
	retained := ClaimRetentionInput{WhenDeleted: Delete, WhenScaled: Retain, Replicas: 1}
	runBuilt(t, retentionStart(), retention(retained), []builtCase{
		{name: "Retain on scale-down keeps them", build: func(s *script) *script { return s.down(2).down(1) }},
		{name: "Retain on scale-down, a claim deleted", build: func(s *script) *script { return s.down(2).claimGone(2).down(1) },
			wantIn: []string{"claim data-web-2 was deleted, but whenScaled is Retain"}},
	})
}

func TestClaimRetentionOwners(t *testing.T) {
	scaled := ClaimRetentionInput{WhenScaled: Delete, Replicas: 0, Foreign: []string{"data-web-1"}}
	runBuilt(t, retentionStart(1), retention(scaled), []builtCase{
		{name: "the claim another controller owns outlives its pod", build: func(s *script) *script {
			return s.down(2).claimGone(2).down(1).down(0).claimGone(0)
		}},
		{name: "the claim another controller owns deleted", build: func(s *script) *script {
			return s.down(2).claimGone(2).down(1).claimGone(1).down(0).claimGone(0)
		}, wantIn: []string{"claim data-web-1 was deleted, but another owner holds it (the spec gave it one)"}},
		{name: "the set adds itself as a second controller", build: func(s *script) *script {
			return s.claimOwners(1, otherOwner, podOwner(1)).down(2).claimGone(2).down(1).down(0).claimGone(0)
		}, wantIn: []string{"claim data-web-1 has 2 controllers (ConfigMap/keeper uid=uid-keep (controller), Pod/web-1"}},
	})
	// What the selftest's breakage does: an owner on every claim that
	// neither the set nor the spec gave.
	deployed := ClaimRetentionInput{WhenDeleted: Delete, Replicas: 3}
	runChecks(t, func(tl timeline.Timeline) error { deployed.Template = "data"; return deployed.Judge(tl) }, []checkCase{
		{name: "owned by the set only", tl: newScript().up(0, "r1").claim(0).claimOwners(0, setOwner).timeline()},
		{name: "an owner from elsewhere", tl: newScript().up(0, "r1").claim(0, timeline.Owner{Kind: "Namespace", Name: "ns", UID: "uid-ns"}).claimOwners(0, timeline.Owner{Kind: "Namespace", Name: "ns", UID: "uid-ns"}, setOwner).timeline(),
			wantIn: []string{"claim retention: claim data-web-0 has owner Namespace/ns uid=uid-ns, which neither StatefulSet web nor the spec gave it", "offending event: #4 ClaimCreated data-web-0"}},
		{name: "no claims recorded", tl: newScript().up(0, "r1").timeline(), lacks: true,
			wantIn: []string{"evidence lacks claims data-web-N: the timeline holds no claim event of them"}},
		{name: "empty recording", tl: newScript().timeline(), lacks: true, wantIn: []string{"it holds no events at all"}},
	})
	runChecks(t, func(tl timeline.Timeline) error {
		return ClaimRetentionInput{Template: "data", Replicas: 3, Foreign: []string{"data-web-7"}}.Judge(tl)
	}, []checkCase{{name: "the foreign claim not recorded", tl: newScript().claim(0).timeline(), lacks: true,
		wantIn: []string{"evidence lacks claim data-web-7, which the spec owns elsewhere"}}})
}

func TestClaimRetentionOnDeletion(t *testing.T) {
	deleted := ClaimRetentionInput{WhenDeleted: Delete, WhenScaled: Retain, SetDeleted: true, Foreign: []string{"data-web-1"}}
	runBuilt(t, retentionStart(1), retention(deleted), []builtCase{
		{name: "every claim but the foreign one goes after its pod", build: func(s *script) *script {
			// Deleting a set deletes its pods in no order, and the
			// collector marks their claims at once.
			return s.terminating(0).terminating(1).terminating(2).emitClaim(timeline.ClaimTerminating, 0).
				unready(0).deleted(0).emitClaim(timeline.ClaimDeleted, 0).unready(1).deleted(1).unready(2).deleted(2).claimGone(2)
		}},
		{name: "a claim gone once its pod stopped (phase Failed), before the pod object", build: func(s *script) *script {
			s.terminating(0).unready(0)
			s.phase[0] = "Failed"
			return s.emit(timeline.Unready, 0).claimGone(0).deleted(0).down(1).down(2).claimGone(2)
		}},
		{name: "the foreign claim deleted with the set", build: func(s *script) *script {
			return s.down(0).claimGone(0).down(1).claimGone(1).down(2).claimGone(2)
		}, wantIn: []string{"claim data-web-1 was deleted, but another owner holds it"}},
		{name: "a claim left behind", build: func(s *script) *script {
			return s.down(0).claimGone(0).down(1).down(2)
		}, wantIn: []string{"claim data-web-2 is still there after its pod web-2 was deleted, although whenDeleted is Delete and the set was deleted"}},
	})
	kept := ClaimRetentionInput{WhenDeleted: Retain, WhenScaled: Delete, SetDeleted: true}
	runBuilt(t, retentionStart(), retention(kept), []builtCase{
		{name: "whenDeleted Retain keeps every claim", build: func(s *script) *script { return s.down(0).down(1).down(2) }},
		{name: "whenDeleted Retain, a claim deleted", build: func(s *script) *script { return s.down(0).claimGone(0).down(1).down(2) },
			wantIn: []string{"claim data-web-0 was deleted, but whenDeleted is Retain"}},
		{name: "pods not yet gone", build: func(s *script) *script { return s.down(0).down(1) },
			lacks: true, wantIn: []string{"evidence lacks the deletion of web-2"}},
	})
}

// An owner the window starts with is state, not something it saw: the
// spec that gave a claim an owner and took it back judges later windows
// without naming it.
func TestClaimRetentionJudgesOnlyTheWindowsOwners(t *testing.T) {
	s := newScript().up(0, "r1").up(1, "r1").claim(0).claim(1).claimOwners(1, otherOwner).claimOwners(1)
	mark := len(s.events)
	tl := s.down(1).claimGone(1).timeline()
	if err := (ClaimRetentionInput{Template: "data", WhenScaled: Delete, Replicas: 1}).Judge(tl.Since(mark)); err != nil {
		t.Fatalf("an owner before the window judged: %v", err)
	}
}
