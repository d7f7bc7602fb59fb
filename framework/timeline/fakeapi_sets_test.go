package timeline

import (
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/utils/ptr"
)

// fakeSets is the StatefulSet storage beside fakeAPI's pods, with the same
// resourceVersion counter (one etcd) and the same replay of history to a
// watch started at an older resourceVersion.
type fakeSets struct {
	a        *fakeAPI
	sets     map[string]*appsv1.StatefulSet
	log      []watch.Event
	watchers []*watch.RaceFreeFakeWatcher
}

func installFakeSets(a *fakeAPI) *fakeSets {
	s := &fakeSets{a: a, sets: map[string]*appsv1.StatefulSet{}}
	a.cs.PrependReactor("list", "statefulsets", func(clienttesting.Action) (bool, runtime.Object, error) {
		a.mu.Lock()
		defer a.mu.Unlock()
		list := &appsv1.StatefulSetList{ListMeta: metav1.ListMeta{ResourceVersion: strconv.Itoa(a.rv)}}
		for _, set := range s.sets {
			list.Items = append(list.Items, *set.DeepCopy())
		}
		return true, list, nil
	})
	a.cs.PrependWatchReactor("statefulsets", func(action clienttesting.Action) (bool, watch.Interface, error) {
		from, _ := strconv.Atoi(action.(clienttesting.WatchAction).GetWatchRestrictions().ResourceVersion)
		a.mu.Lock()
		defer a.mu.Unlock()
		w := watch.NewRaceFreeFake()
		for _, ev := range s.log {
			if objectRV(ev.Object) > from {
				w.Action(ev.Type, ev.Object.DeepCopyObject())
			}
		}
		s.watchers = append(s.watchers, w)
		return true, w, nil
	})
	return s
}

func (s *fakeSets) commitLocked(typ watch.EventType, set *appsv1.StatefulSet) string {
	s.a.rv++
	set.ResourceVersion = strconv.Itoa(s.a.rv)
	ev := watch.Event{Type: typ, Object: set.DeepCopy()}
	s.log = append(s.log, ev)
	for _, w := range s.watchers {
		w.Action(ev.Type, ev.Object.DeepCopyObject())
	}
	return set.ResourceVersion
}

// createSet creates StatefulSet name with replicas at generation 1, not yet
// observed by a controller.
func (a *fakeAPI) createSet(name string, replicas int32) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	set := &appsv1.StatefulSet{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "ns", Generation: 1},
		Spec:       appsv1.StatefulSetSpec{Replicas: ptr.To(replicas)},
	}
	a.sets.sets[name] = set
	return a.sets.commitLocked(watch.Added, set)
}

// updateSet applies change to the named set and returns the new RV.
func (a *fakeAPI) updateSet(name string, change func(*appsv1.StatefulSet)) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	set := a.sets.sets[name]
	change(set)
	return a.sets.commitLocked(watch.Modified, set)
}

func (a *fakeAPI) removeSet(name string) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	set := a.sets.sets[name]
	delete(a.sets.sets, name)
	return a.sets.commitLocked(watch.Deleted, set)
}

// dropSetWatches closes the set watches only.
func (a *fakeAPI) dropSetWatches() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, w := range a.sets.watchers {
		w.Stop()
	}
	a.sets.watchers = nil
}

// expireSets sends 410 Gone on the set watches.
func (a *fakeAPI) expireSets() {
	a.mu.Lock()
	defer a.mu.Unlock()
	status := metav1.Status{Status: metav1.StatusFailure, Code: 410, Reason: metav1.StatusReasonExpired, Message: "too old resource version"}
	for _, w := range a.sets.watchers {
		w.Error(&status)
	}
}
