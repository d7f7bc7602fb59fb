package timeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	watchtools "k8s.io/client-go/tools/watch"
)

// ErrStopped is returned by WaitFor when the recorder was stopped (by Stop
// or by the end of its context) before the condition held.
var ErrStopped = errors.New("timeline recorder stopped")

// Recorder turns a List+Watch of pods into a Timeline.
type Recorder struct {
	namespace, statefulSet string
	// ctx ends with the recording; the watches beside the pods' (the
	// set's, and WatchClaims') run under it, and Stop waits for them too
	// (more).
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
	more   sync.WaitGroup

	mu     sync.Mutex
	events []Event
	notes  []Note
	checks []Check
	// statuses are the set's own (recorder_status.go), watched beside
	// the pods.
	statuses []SetStatus
	state    map[string]*podState // by UID
	changed  chan struct{}        // closed and replaced on every change
	lastRV   string
	stopped  bool
	err      error
}

// Start lists the pods matching selector (nil means all pods of the
// namespace), records them as Baseline events, and then watches from the
// List's resourceVersion, so every change after the List is seen exactly
// once. The watch is a RetryWatcher: a dropped connection resumes from the
// last resourceVersion received (bookmarks included) without losing events.
//
// Recording lasts until Stop is called or ctx is done. A watch error the
// RetryWatcher cannot recover from (e.g. 410 Gone: the history needed to
// resume has been compacted) ends the recording, because from then on order
// can no longer be proven; Err and WaitFor report it.
func Start(ctx context.Context, c kubernetes.Interface, namespace, statefulSetName string, selector labels.Selector) (*Recorder, error) {
	if selector == nil {
		selector = labels.Everything()
	}
	pods := c.CoreV1().Pods(namespace)
	list, err := pods.List(ctx, metav1.ListOptions{LabelSelector: selector.String()})
	if err != nil {
		return nil, fmt.Errorf("listing pods of statefulset %s/%s: %w", namespace, statefulSetName, err)
	}

	lw := &cache.ListWatch{
		WatchFuncWithContext: func(ctx context.Context, opts metav1.ListOptions) (watch.Interface, error) {
			opts.LabelSelector = selector.String()
			return pods.Watch(ctx, opts)
		},
	}
	ctx, cancel := context.WithCancel(ctx)
	// Without a List resourceVersion the watch would start "now" and
	// whatever happened since the List would be lost.
	w, err := watchtools.NewRetryWatcherWithContext(ctx, list.ResourceVersion, lw)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("watching pods of statefulset %s/%s from resourceVersion %q: %w", namespace, statefulSetName, list.ResourceVersion, err)
	}

	r := &Recorder{
		namespace:   namespace,
		statefulSet: statefulSetName,
		ctx:         ctx,
		cancel:      cancel,
		done:        make(chan struct{}),
		state:       map[string]*podState{},
		changed:     make(chan struct{}),
		lastRV:      list.ResourceVersion,
	}
	// List order is by name, which puts web-10 before web-2; ordinal order
	// makes a baseline read naturally and lets it satisfy ordering checks.
	items := slices.Clone(list.Items)
	slices.SortStableFunc(items, func(a, b corev1.Pod) int {
		return cmp.Or(
			cmp.Compare(ParseOrdinal(statefulSetName, a.Name), ParseOrdinal(statefulSetName, b.Name)),
			cmp.Compare(a.Name, b.Name))
	})
	for i := range items {
		r.observe(&items[i], false, true)
	}
	sw, err := r.watchSet(ctx, c)
	if err != nil {
		w.Stop()
		cancel()
		return nil, err
	}
	r.Mark(fmt.Sprintf("recording started: %d pods matching %q listed at resourceVersion %s", len(items), selector.String(), list.ResourceVersion))

	go r.run(ctx, w)
	r.more.Add(1)
	go r.runSet(ctx, sw)
	return r, nil
}

func (r *Recorder) run(ctx context.Context, w *watchtools.RetryWatcher) {
	defer close(r.done)
	defer w.Stop()
	for {
		select {
		case <-ctx.Done():
			r.finish(nil)
			return
		case ev, ok := <-w.ResultChan():
			if !ok {
				if ctx.Err() != nil {
					r.finish(nil)
				} else {
					r.finish(errors.New("watch ended without an error event"))
				}
				return
			}
			if err := r.handle(ev); err != nil {
				r.finish(err)
				return
			}
		}
	}
}

func (r *Recorder) handle(ev watch.Event) error {
	switch ev.Type {
	case watch.Added, watch.Modified, watch.Deleted:
		pod, ok := ev.Object.(*corev1.Pod)
		if !ok {
			return fmt.Errorf("watch %s event carried %T, not a pod", ev.Type, ev.Object)
		}
		r.observe(pod, ev.Type == watch.Deleted, false)
		return nil
	case watch.Bookmark:
		// The RetryWatcher consumes bookmarks itself; nothing changed.
		return nil
	case watch.Error:
		// The RetryWatcher retries what it can and forwards only errors it
		// gives up on, so this one ends the recording.
		return fmt.Errorf("watch failed after resourceVersion %s: %w", r.lastResourceVersion(), apierrors.FromObject(ev.Object))
	default:
		return fmt.Errorf("unexpected watch event type %q", ev.Type)
	}
}

func (r *Recorder) observe(pod *corev1.Pod, deleted, baseline bool) {
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	uid := string(pod.UID)
	events, next := transitions(r.state[uid], pod, deleted, r.statefulSet)
	if deleted {
		delete(r.state, uid)
	} else {
		r.state[uid] = &next
	}
	if !baseline {
		r.lastRV = pod.ResourceVersion
	}
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

func (r *Recorder) lastResourceVersion() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lastRV
}

// endWith ends the whole recording with err, from a watch beside the
// pods' (the set's, the claims'): from then on no order can be proven, for
// pods, claims or statuses.
func (r *Recorder) endWith(err error) {
	r.finish(err)
	r.cancel()
}

func (r *Recorder) finish(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped {
		// Another watch of the recording ended it first; its cause counts.
		return
	}
	r.stopped = true
	r.err = err
	if err != nil {
		r.notes = append(r.notes, Note{After: len(r.events), Text: fmt.Sprintf("recording ended: %v", err)})
	}
	r.broadcastLocked()
}

func (r *Recorder) broadcastLocked() {
	close(r.changed)
	r.changed = make(chan struct{})
}

// Mark records a note (typically what the test is about to do or just
// did) after the newest event, and returns that event's Seq: the anchor a
// check's window starts from, taken under the same lock as the note, so
// that the spec's mark and the note cannot disagree.
func (r *Recorder) Mark(text string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	seq := len(r.events)
	r.notes = append(r.notes, Note{After: seq, Text: text})
	return seq
}

// RecordCheck keeps a check the spec made of this recording, written with
// the timeline so that it can be judged again.
func (r *Recorder) RecordCheck(c Check) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.checks = append(r.checks, c)
}

// Snapshot returns a copy of everything recorded so far.
func (r *Recorder) Snapshot() Timeline {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.snapshotLocked()
}

func (r *Recorder) snapshotLocked() Timeline {
	return Timeline{
		SchemaVersion: SchemaVersion,
		StatefulSet:   r.statefulSet,
		Namespace:     r.namespace,
		// Never nil, so an empty recording is written as [] for auditors.
		Events:   append([]Event{}, r.events...),
		Notes:    slices.Clone(r.notes),
		Checks:   slices.Clone(r.checks),
		Statuses: slices.Clone(r.statuses),
	}
}

// Err is the error that ended the recording, or nil while it runs or after
// a requested stop.
func (r *Recorder) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// WaitFor blocks until cond holds for the recorded timeline. cond is
// evaluated now and whenever events have been added, never on a timer.
// Several events may arrive between two evaluations, so cond should ask about
// the whole timeline ("web-2 has a Ready event"), not about its last event.
// It returns ctx's cause if ctx ends first, and an error wrapping ErrStopped
// (or the watch failure) if the recording ends first.
func (r *Recorder) WaitFor(ctx context.Context, cond func(Timeline) bool) error {
	for {
		r.mu.Lock()
		tl := r.snapshotLocked()
		changed, stopped, err := r.changed, r.stopped, r.err
		r.mu.Unlock()

		if cond(tl) {
			return nil
		}
		if stopped {
			if err == nil {
				err = ErrStopped
			}
			return fmt.Errorf("condition on timeline of %s/%s not met by #%d: %w", r.namespace, r.statefulSet, tl.LastSeq(), err)
		}
		select {
		case <-changed:
		case <-ctx.Done():
			last := "no events"
			if n := len(tl.Events); n > 0 {
				last = "last " + tl.Events[n-1].String()
			}
			return fmt.Errorf("condition on timeline of %s/%s not met (%s): %w", r.namespace, r.statefulSet, last, context.Cause(ctx))
		}
	}
}

// Stop ends the recording and waits for the watch to be released. It is
// safe to call more than once.
func (r *Recorder) Stop() {
	r.cancel()
	<-r.done
	r.more.Wait()
}
