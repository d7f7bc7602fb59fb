package timeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	watchtools "k8s.io/client-go/tools/watch"
)

// watchSet lists the StatefulSet by name (it may not exist yet) and
// returns a RetryWatcher from the List's resourceVersion, after recording
// what the List found as the baseline status.
func (r *Recorder) watchSet(ctx context.Context, c kubernetes.Interface) (*watchtools.RetryWatcher, error) {
	sets := c.AppsV1().StatefulSets(r.namespace)
	byName := fields.OneTermEqualSelector("metadata.name", r.statefulSet).String()
	list, err := sets.List(ctx, metav1.ListOptions{FieldSelector: byName})
	if err != nil {
		return nil, fmt.Errorf("listing statefulset %s/%s: %w", r.namespace, r.statefulSet, err)
	}
	for i := range list.Items {
		r.observeSet(&list.Items[i], false, true)
	}
	lw := &cache.ListWatch{
		WatchFuncWithContext: func(ctx context.Context, opts metav1.ListOptions) (watch.Interface, error) {
			opts.FieldSelector = byName
			return sets.Watch(ctx, opts)
		},
	}
	w, err := watchtools.NewRetryWatcherWithContext(ctx, list.ResourceVersion, lw)
	if err != nil {
		return nil, fmt.Errorf("watching statefulset %s/%s from resourceVersion %q: %w", r.namespace, r.statefulSet, list.ResourceVersion, err)
	}
	return w, nil
}

// runSet records the set's updates until ctx ends. A watch failure ends
// the whole recording, as one of the pod watch does: statuses missing from
// then on could hide what a checker looks for.
func (r *Recorder) runSet(ctx context.Context, w *watchtools.RetryWatcher) {
	defer r.more.Done()
	defer w.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.ResultChan():
			if !ok {
				if ctx.Err() == nil {
					r.endWith(errors.New("statefulset watch ended without an error event"))
				}
				return
			}
			if err := r.handleSet(ev); err != nil {
				r.endWith(err)
				return
			}
		}
	}
}

func (r *Recorder) handleSet(ev watch.Event) error {
	switch ev.Type {
	case watch.Added, watch.Modified, watch.Deleted:
		set, ok := ev.Object.(*appsv1.StatefulSet)
		if !ok {
			return fmt.Errorf("statefulset watch %s event carried %T, not a StatefulSet", ev.Type, ev.Object)
		}
		r.observeSet(set, ev.Type == watch.Deleted, false)
		return nil
	case watch.Bookmark:
		return nil
	case watch.Error:
		return fmt.Errorf("statefulset watch failed: %w", apierrors.FromObject(ev.Object))
	default:
		return fmt.Errorf("unexpected statefulset watch event type %q", ev.Type)
	}
}

// observeSet records the set's state when it differs from the last one
// recorded (an update of labels or annotations is not a new status).
func (r *Recorder) observeSet(set *appsv1.StatefulSet, deleted, baseline bool) {
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped {
		return
	}
	s := statusOf(set, deleted)
	if n := len(r.statuses); n > 0 && !deleted && r.statuses[n-1].sameState(s) {
		return
	}
	s.After, s.ObservedAt, s.Baseline = len(r.events), now, baseline
	r.statuses = append(r.statuses, s)
	r.broadcastLocked()
}
