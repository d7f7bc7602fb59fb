package timeline

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes/fake"
	clienttesting "k8s.io/client-go/testing"
)

// epoch anchors object timestamps so tests can assert ObjectTime exactly.
var epoch = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// fakeAPI stands in for the API server's pod storage. The stock fake
// clientset neither assigns resourceVersions nor replays history to a watch
// started at an older resourceVersion, and those two behaviours are exactly
// what the recorder relies on, so they are modelled here: every change gets
// the next RV, is kept in a log, and a watch from RV n first replays the log
// after n.
type fakeAPI struct {
	cs *fake.Clientset

	mu        sync.Mutex
	rv        int
	pods      map[string]*corev1.Pod
	log       []watch.Event
	watchers  []*watch.RaceFreeFakeWatcher
	watchRVs  []string
	watchSeen chan struct{} // closed and replaced on every Watch call
	afterList func()
	sets      *fakeSets // fakeapi_sets_test.go
}

func newFakeAPI(t *testing.T) *fakeAPI {
	t.Helper()
	a := &fakeAPI{
		cs:        fake.NewClientset(),
		rv:        100,
		pods:      map[string]*corev1.Pod{},
		watchSeen: make(chan struct{}),
	}
	a.sets = installFakeSets(a)
	a.cs.PrependReactor("list", "pods", func(clienttesting.Action) (bool, runtime.Object, error) {
		a.mu.Lock()
		list := &corev1.PodList{ListMeta: metav1.ListMeta{ResourceVersion: strconv.Itoa(a.rv)}}
		for _, p := range a.pods {
			list.Items = append(list.Items, *p.DeepCopy())
		}
		slices.SortFunc(list.Items, func(x, y corev1.Pod) int { return cmp.Compare(x.Name, y.Name) })
		hook := a.afterList
		a.afterList = nil
		a.mu.Unlock()
		if hook != nil {
			hook()
		}
		return true, list, nil
	})
	a.cs.PrependWatchReactor("pods", func(action clienttesting.Action) (bool, watch.Interface, error) {
		rv := action.(clienttesting.WatchAction).GetWatchRestrictions().ResourceVersion
		from, err := strconv.Atoi(rv)
		if err != nil {
			return true, nil, apierrors.NewBadRequest("resourceVersion " + rv)
		}
		a.mu.Lock()
		defer a.mu.Unlock()
		w := watch.NewRaceFreeFake()
		for _, ev := range a.log {
			if objectRV(ev.Object) > from {
				w.Action(ev.Type, ev.Object.DeepCopyObject())
			}
		}
		a.watchers = append(a.watchers, w)
		a.watchRVs = append(a.watchRVs, rv)
		close(a.watchSeen)
		a.watchSeen = make(chan struct{})
		return true, w, nil
	})
	return a
}

func objectRV(obj runtime.Object) int {
	m, err := meta.Accessor(obj)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(m.GetResourceVersion())
	return n
}

// commitLocked stamps the next RV on p and publishes the change.
func (a *fakeAPI) commitLocked(typ watch.EventType, p *corev1.Pod) {
	a.rv++
	p.ResourceVersion = strconv.Itoa(a.rv)
	ev := watch.Event{Type: typ, Object: p.DeepCopy()}
	a.log = append(a.log, ev)
	for _, w := range a.watchers {
		w.Action(ev.Type, ev.Object.DeepCopyObject())
	}
}

func (a *fakeAPI) create(name, revision string) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name:              name,
			Namespace:         "ns",
			UID:               types.UID("uid-" + name + "-" + strconv.Itoa(a.rv+1)),
			CreationTimestamp: metav1.NewTime(epoch.Add(time.Duration(a.rv+1) * time.Second)),
			Labels:            map[string]string{"app": "web", revisionLabel: revision},
		},
		Spec:   corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "img:" + revision}}},
		Status: corev1.PodStatus{Phase: corev1.PodPending},
	}
	a.pods[name] = p
	a.commitLocked(watch.Added, p)
	return p.ResourceVersion
}

// update applies change to the named pod and returns the new RV.
func (a *fakeAPI) update(name string, change func(*corev1.Pod)) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	p := a.pods[name]
	change(p)
	a.commitLocked(watch.Modified, p)
	return p.ResourceVersion
}

func (a *fakeAPI) remove(name string) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	p := a.pods[name]
	delete(a.pods, name)
	a.commitLocked(watch.Deleted, p)
	return p.ResourceVersion
}

// dropWatches closes every open watch, as an API server restart or a watch
// timeout would.
func (a *fakeAPI) dropWatches() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, w := range a.watchers {
		w.Stop()
	}
	a.watchers = nil
}

// bookmark advances the RV without a pod change (other objects changed in
// etcd) and tells open watches about it.
func (a *fakeAPI) bookmark() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.rv++
	rv := strconv.Itoa(a.rv)
	for _, w := range a.watchers {
		w.Action(watch.Bookmark, &corev1.Pod{ObjectMeta: metav1.ObjectMeta{ResourceVersion: rv}})
	}
	return rv
}

// expire sends 410 Gone, what a watch gets when the history it needs has
// been compacted.
func (a *fakeAPI) expire() {
	a.mu.Lock()
	defer a.mu.Unlock()
	status := apierrors.NewResourceExpired("too old resource version").ErrStatus
	for _, w := range a.watchers {
		w.Error(&status)
	}
}

func (a *fakeAPI) requestedWatchRVs() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.watchRVs)
}

// waitForWatches blocks until n Watch calls have been made.
func (a *fakeAPI) waitForWatches(ctx context.Context, t *testing.T, n int) {
	t.Helper()
	for {
		a.mu.Lock()
		got, seen := len(a.watchRVs), a.watchSeen
		a.mu.Unlock()
		if got >= n {
			return
		}
		select {
		case <-seen:
		case <-ctx.Done():
			t.Fatalf("waiting for %d watch calls, saw %d: %v", n, got, ctx.Err())
		}
	}
}

func schedule(node string) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		p.Spec.NodeName = node
		p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{Type: corev1.PodScheduled, Status: corev1.ConditionTrue})
	}
}

func run(ip string) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		p.Status.Phase = corev1.PodRunning
		p.Status.PodIP = ip
	}
}

func setReady(ready bool, at time.Time) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		status := corev1.ConditionFalse
		if ready {
			status = corev1.ConditionTrue
		}
		for i, c := range p.Status.Conditions {
			if c.Type == corev1.PodReady {
				p.Status.Conditions[i].Status = status
				p.Status.Conditions[i].LastTransitionTime = metav1.NewTime(at)
				return
			}
		}
		p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{Type: corev1.PodReady, Status: status, LastTransitionTime: metav1.NewTime(at)})
	}
}

func markDeleted(at time.Time) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		t := metav1.NewTime(at)
		p.DeletionTimestamp = &t
	}
}

// annotate is an update that changes nothing the recorder tracks.
func annotate(p *corev1.Pod) {
	if p.Annotations == nil {
		p.Annotations = map[string]string{}
	}
	p.Annotations["touched"] = strconv.Itoa(len(p.Annotations))
}
