package timeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	watchtools "k8s.io/client-go/tools/watch"
)

// The claim events: the lifecycle and ownership of a
// PersistentVolumeClaim, recorded beside the pods' when a spec asks for
// them (WatchClaims), so that a claim's deletion can be ordered against
// its pod's. Event.Claim names the claim.
const (
	// ClaimCreated is the first sight of a claim UID, with its owners.
	ClaimCreated EventKind = "ClaimCreated"
	// ClaimOwnersChanged is a change of the claim's ownerReferences: the
	// StatefulSet controller applying its retention policy, or another
	// controller taking the claim.
	ClaimOwnersChanged EventKind = "ClaimOwnersChanged"
	// ClaimTerminating is the first sight of the claim's
	// deletionTimestamp: someone (the garbage collector) deleted it; the
	// pvc-protection finalizer keeps it while a pod uses it.
	ClaimTerminating EventKind = "ClaimTerminating"
	// ClaimDeleted is the watch DELETED event: the claim is gone.
	ClaimDeleted EventKind = "ClaimDeleted"
)

// IsClaimEvent says whether the kind is one of the claim events.
func IsClaimEvent(k EventKind) bool {
	return k == ClaimCreated || k == ClaimOwnersChanged || k == ClaimTerminating || k == ClaimDeleted
}

// claimState is what the recorder last saw of one claim UID.
type claimState struct {
	owners      []Owner
	terminating bool
}

// claimTransitions derives the events one claim update implies; prev is
// nil on first sight of the UID.
func claimTransitions(prev *claimState, pvc *corev1.PersistentVolumeClaim, deleted bool) ([]Event, claimState) {
	var next claimState
	if prev != nil {
		next = *prev
	}
	base := Event{Claim: pvc.Name, Ordinal: -1, UID: string(pvc.UID), ResourceVersion: pvc.ResourceVersion, Phase: string(pvc.Status.Phase)}
	var out []Event
	emit := func(kind EventKind, at time.Time, owners []Owner) {
		e := base
		e.Kind, e.ObjectTime, e.Owners = kind, at, owners
		out = append(out, e)
	}
	owners := ownersOf(pvc.OwnerReferences)
	switch {
	case prev == nil:
		emit(ClaimCreated, pvc.CreationTimestamp.Time, owners)
	case !deleted && !sameOwners(next.owners, owners):
		emit(ClaimOwnersChanged, time.Time{}, owners)
	}
	next.owners = owners
	if !next.terminating && pvc.DeletionTimestamp != nil {
		next.terminating = true
		emit(ClaimTerminating, pvc.DeletionTimestamp.Time, nil)
	}
	if deleted {
		emit(ClaimDeleted, time.Time{}, nil)
	}
	return out, next
}

// WatchClaims adds the PersistentVolumeClaims of the recorder's namespace
// to the recording: it Lists them (Baseline events, as Start does for
// pods) and watches from the List's resourceVersion until the recording
// ends. Claim and pod events share one Seq, in order of arrival: two
// watches have no common order, but a claim the garbage collector deletes
// after its pod is gone can only be deleted once the collector has seen
// the pod's deletion, which this recorder's pod watch is told of at the
// same time.
//
// A claim watch error the RetryWatcher cannot recover from ends the
// recording, as one of the pod watch does.
func (r *Recorder) WatchClaims(c kubernetes.Interface) error {
	claims := c.CoreV1().PersistentVolumeClaims(r.namespace)
	list, err := claims.List(r.ctx, metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("listing claims of namespace %s: %w", r.namespace, err)
	}
	lw := &cache.ListWatch{
		WatchFuncWithContext: func(ctx context.Context, opts metav1.ListOptions) (watch.Interface, error) {
			return claims.Watch(ctx, opts)
		},
	}
	w, err := watchtools.NewRetryWatcherWithContext(r.ctx, list.ResourceVersion, lw)
	if err != nil {
		return fmt.Errorf("watching claims of namespace %s from resourceVersion %q: %w", r.namespace, list.ResourceVersion, err)
	}
	items := slices.Clone(list.Items)
	slices.SortFunc(items, func(a, b corev1.PersistentVolumeClaim) int { return strings.Compare(a.Name, b.Name) })
	state := map[string]*claimState{}
	for i := range items {
		r.observeClaim(state, &items[i], false, true)
	}
	r.Mark(fmt.Sprintf("recording claims: %d listed at resourceVersion %s", len(items), list.ResourceVersion))

	r.more.Add(1)
	go func() {
		defer r.more.Done()
		defer w.Stop()
		for {
			select {
			case <-r.ctx.Done():
				return
			case ev, ok := <-w.ResultChan():
				if !ok {
					if r.ctx.Err() == nil {
						r.endWith(errors.New("claim watch ended without an error event"))
					}
					return
				}
				if err := r.handleClaim(state, ev); err != nil {
					r.endWith(err)
					return
				}
			}
		}
	}()
	return nil
}

func (r *Recorder) handleClaim(state map[string]*claimState, ev watch.Event) error {
	switch ev.Type {
	case watch.Added, watch.Modified, watch.Deleted:
		pvc, ok := ev.Object.(*corev1.PersistentVolumeClaim)
		if !ok {
			return fmt.Errorf("claim watch %s event carried %T, not a claim", ev.Type, ev.Object)
		}
		r.observeClaim(state, pvc, ev.Type == watch.Deleted, false)
		return nil
	case watch.Bookmark:
		return nil
	case watch.Error:
		return fmt.Errorf("claim watch failed: %w", apierrors.FromObject(ev.Object))
	default:
		return fmt.Errorf("unexpected claim watch event type %q", ev.Type)
	}
}

// observeClaim appends a claim update's events; state is the claim
// watch's own, touched only by its goroutine (and by WatchClaims before
// that starts).
func (r *Recorder) observeClaim(state map[string]*claimState, pvc *corev1.PersistentVolumeClaim, deleted, baseline bool) {
	uid := string(pvc.UID)
	events, next := claimTransitions(state[uid], pvc, deleted)
	if deleted {
		delete(state, uid)
	} else {
		state[uid] = &next
	}
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range events {
		e.Seq = len(r.events) + 1
		e.ObservedAt = now
		e.Baseline = baseline
		r.events = append(r.events, e)
	}
	if len(events) > 0 {
		r.broadcastLocked()
	}
}

// ClaimsGone holds once each of the claims has a ClaimDeleted event after
// seq.
func ClaimsGone(after int, claims ...string) Condition {
	return func(tl Timeline) bool {
		gone := map[string]bool{}
		for _, e := range tl.Since(after).Events {
			if e.Kind == ClaimDeleted && !e.Baseline {
				gone[e.Claim] = true
			}
		}
		for _, c := range claims {
			if !gone[c] {
				return false
			}
		}
		return true
	}
}

// OwnersBecome holds once an OwnersChanged event of the pod after seq
// shows owners that satisfy ok.
func OwnersBecome(pod string, after int, ok func([]Owner) bool) Condition {
	return func(tl Timeline) bool {
		for _, e := range tl.Since(after).Events {
			if e.Kind == OwnersChanged && e.Pod == pod && !e.Baseline && ok(e.Owners) {
				return true
			}
		}
		return false
	}
}

// ClaimOwnersBecome holds once a ClaimCreated or ClaimOwnersChanged event
// of the claim after seq shows owners that satisfy ok.
func ClaimOwnersBecome(claim string, after int, ok func([]Owner) bool) Condition {
	return func(tl Timeline) bool {
		for _, e := range tl.Since(after).Events {
			if (e.Kind == ClaimCreated || e.Kind == ClaimOwnersChanged) && e.Claim == claim && !e.Baseline && ok(e.Owners) {
				return true
			}
		}
		return false
	}
}

// ClaimRecreated holds once the claim, deleted after seq, has been created
// again (a new UID) after its deletion.
func ClaimRecreated(claim string, after int) Condition {
	return func(tl Timeline) bool {
		gone := false
		for _, e := range tl.Since(after).Events {
			switch {
			case e.Baseline || e.Claim != claim:
			case e.Kind == ClaimDeleted:
				gone = true
			case e.Kind == ClaimCreated && gone:
				return true
			}
		}
		return false
	}
}
