package statefulset

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
)

// Revision is one line of a set's rollout history (`kubectl rollout
// history`): a ControllerRevision's number, name (the pods' revision
// label) and the web container's image it records.
type Revision struct {
	Number int64
	Name   string
	Image  string
	// Patch is the ControllerRevision's data: the strategic merge patch
	// that restores its pod template (`kubectl rollout undo` applies it).
	Patch []byte
}

func (r Revision) String() string {
	return fmt.Sprintf("revision %d %s image %s", r.Number, r.Name, r.Image)
}

// History lists the set's ControllerRevisions owned by it, oldest number
// first.
func History(ctx context.Context, c kubernetes.Interface, set *appsv1.StatefulSet) ([]Revision, error) {
	list, err := c.AppsV1().ControllerRevisions(set.Namespace).List(ctx, metav1.ListOptions{
		LabelSelector: labels.SelectorFromSet(set.Spec.Selector.MatchLabels).String(),
	})
	if err != nil {
		return nil, fmt.Errorf("list controllerrevisions of %s/%s: %w", set.Namespace, set.Name, err)
	}
	var owned []appsv1.ControllerRevision
	for _, r := range list.Items {
		if ref := metav1.GetControllerOf(&r); ref != nil && ref.UID == set.UID {
			owned = append(owned, r)
		}
	}
	return HistoryOf(owned)
}

// HistoryOf reads ControllerRevisions of a StatefulSet into its history,
// ordered by revision number; it fails on data that is not a StatefulSet
// template patch or has no web container.
func HistoryOf(revs []appsv1.ControllerRevision) ([]Revision, error) {
	out := make([]Revision, 0, len(revs))
	for _, r := range revs {
		img, err := revisionImage(r.Data.Raw)
		if err != nil {
			return nil, fmt.Errorf("controllerrevision %s (revision %d): %w", r.Name, r.Revision, err)
		}
		out = append(out, Revision{Number: r.Revision, Name: r.Name, Image: img, Patch: r.Data.Raw})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out, nil
}

func revisionImage(raw []byte) (string, error) {
	var data struct {
		Spec struct {
			Template struct {
				Spec struct {
					Containers []struct {
						Name  string `json:"name"`
						Image string `json:"image"`
					} `json:"containers"`
				} `json:"spec"`
			} `json:"template"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(raw, &data); err != nil {
		return "", fmt.Errorf("data is not a StatefulSet patch: %w", err)
	}
	for _, ct := range data.Spec.Template.Spec.Containers {
		if ct.Name == Container {
			return ct.Image, nil
		}
	}
	return "", fmt.Errorf("no container %q in the recorded template", Container)
}

// Previous is the revision `kubectl rollout undo` returns to: the one with
// the second highest number.
func Previous(history []Revision) (Revision, error) {
	if len(history) < 2 {
		return Revision{}, fmt.Errorf("no previous revision: the history has %d revision(s) %v", len(history), history)
	}
	return history[len(history)-2], nil
}

// RollBack does what `kubectl rollout undo statefulset/<name>` does: it
// applies the previous revision's data to the set as a strategic merge
// patch, and returns that revision.
func RollBack(ctx context.Context, c kubernetes.Interface, set *appsv1.StatefulSet) (Revision, error) {
	history, err := History(ctx, c, set)
	if err != nil {
		return Revision{}, err
	}
	prev, err := Previous(history)
	if err != nil {
		return Revision{}, fmt.Errorf("roll back %s/%s: %w", set.Namespace, set.Name, err)
	}
	if _, err := c.AppsV1().StatefulSets(set.Namespace).Patch(ctx, set.Name, types.StrategicMergePatchType, prev.Patch, metav1.PatchOptions{}); err != nil {
		return prev, fmt.Errorf("roll back %s/%s to %s: %w", set.Namespace, set.Name, prev, err)
	}
	return prev, nil
}

// RollBackReused checks what the StatefulSet controller does on a roll back
// (its history code, getStatefulSetRevisions): a template equal to an
// existing revision's creates no new ControllerRevision; the existing one
// is renumbered to become the newest (highest number + 1). before is the
// history just before the roll back, after once the controller has seen
// it, to the revision it rolled back to.
func RollBackReused(before, after []Revision, to Revision) error {
	if len(before) == 0 {
		return fmt.Errorf("empty history before the roll back")
	}
	names := map[string]bool{}
	for _, r := range before {
		names[r.Name] = true
	}
	var added []string
	for _, r := range after {
		if !names[r.Name] {
			added = append(added, r.String())
		}
	}
	if len(added) > 0 {
		return fmt.Errorf("the roll back to %s created new ControllerRevision(s) %v instead of reusing it; history after: %v", to, added, after)
	}
	if len(after) != len(before) {
		return fmt.Errorf("the roll back to %s changed the number of revisions from %d to %d; history before: %v, after: %v", to, len(before), len(after), before, after)
	}
	want := before[len(before)-1].Number + 1
	newest := after[len(after)-1]
	if newest.Name != to.Name || newest.Number != want {
		return fmt.Errorf("after the roll back to %s the newest revision is %s; want %s renumbered %d; history after: %v", to, newest, to.Name, want, after)
	}
	return nil
}

// HistoryLines is the history one line per revision, as the report shows
// it.
func HistoryLines(history []Revision) []string {
	lines := make([]string, 0, len(history))
	for _, r := range history {
		lines = append(lines, r.String())
	}
	return lines
}

// PodRevisions maps each pod of the set to its revision (the
// controller-revision-hash label).
func PodRevisions(ctx context.Context, c kubernetes.Interface, set *appsv1.StatefulSet) (map[string]string, error) {
	pods, err := Pods(ctx, c, set)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, p := range pods {
		out[p.Name] = p.Labels[appsv1.StatefulSetRevisionLabel]
	}
	return out, nil
}
