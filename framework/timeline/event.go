package timeline

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// EventKind names a lifecycle transition of one pod (one UID).
type EventKind string

const (
	// Created is the first sight of a pod UID, from the initial List or a watch ADDED.
	Created EventKind = "Created"
	// Scheduled is the first sight of spec.nodeName set.
	Scheduled EventKind = "Scheduled"
	// Running is status.phase becoming Running.
	Running EventKind = "Running"
	// Ready is the Ready condition becoming True.
	Ready EventKind = "Ready"
	// Unready is the Ready condition leaving True after having been True.
	Unready EventKind = "Unready"
	// Failed is status.phase becoming Failed: the kubelet rejected the pod
	// at admission or evicted it, or its containers failed for good.
	Failed EventKind = "Failed"
	// Terminating is the first sight of metadata.deletionTimestamp set.
	Terminating EventKind = "Terminating"
	// Deleted is the watch DELETED event: the object is gone from the API.
	Deleted EventKind = "Deleted"
	// OwnersChanged is a change of the pod's ownerReferences after its
	// first sight: a controller adopting it or releasing it.
	OwnersChanged EventKind = "OwnersChanged"
)

// Event is one observed transition. It is written to artifacts and read by
// auditors, hence the JSON tags.
type Event struct {
	// Seq is the order of arrival in the recorder and the authority for ordering.
	Seq  int       `json:"seq"`
	Kind EventKind `json:"kind"`
	Pod  string    `json:"pod"`
	// Ordinal is parsed from the pod name; -1 when the name is not <statefulset>-<N>.
	Ordinal         int    `json:"ordinal"`
	UID             string `json:"uid"`
	ResourceVersion string `json:"resourceVersion"`
	// ObservedAt is the recorder's clock when the event arrived.
	ObservedAt time.Time `json:"observedAt"`
	// ObjectTime is the object's own timestamp for the transition when the API
	// carries one (creationTimestamp, Ready lastTransitionTime,
	// deletionTimestamp); zero otherwise.
	ObjectTime time.Time `json:"objectTime,omitzero"`
	Node       string    `json:"node,omitempty"`
	PodIP      string    `json:"podIP,omitempty"`
	// Revision is the controller-revision-hash label.
	Revision string `json:"revision,omitempty"`
	// PodIndex is the apps.kubernetes.io/pod-index label ("" when the pod
	// has none): the controller sets it to the ordinal (GA in v1.32).
	PodIndex string `json:"podIndex,omitempty"`
	// Image is the first container's image.
	Image string `json:"image,omitempty"`
	Phase string `json:"phase,omitempty"`
	// Baseline marks state that existed before the window being judged (from
	// the recorder's initial List, or carried over by Timeline.Since). It
	// describes state, not an action: nobody saw it happen, so checkers use it
	// to know what was live but never judge it.
	Baseline bool `json:"baseline,omitempty"`
	// Claim names the PersistentVolumeClaim of a claim event (the Claim*
	// kinds, claims.go); Pod is empty then and Ordinal -1, so that
	// checkers of pods never mistake a claim for a pod.
	Claim string `json:"claim,omitempty"`
	// Owners are the object's ownerReferences, carried by the events that
	// state them: Created, OwnersChanged, ClaimCreated and
	// ClaimOwnersChanged.
	Owners []Owner `json:"owners,omitempty"`
}

// At is when the transition happened: the object's own timestamp
// (ObjectTime), or the recorder's clock when the API gave none.
func (e Event) At() time.Time {
	if !e.ObjectTime.IsZero() {
		return e.ObjectTime
	}
	return e.ObservedAt
}

// String renders the event as one line of evidence.
func (e Event) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d %s %s uid=%s rv=%s observed=%s", e.Seq, e.Kind, e.Pod+e.Claim, shortUID(e.UID), e.ResourceVersion, stamp(e.ObservedAt))
	if !e.ObjectTime.IsZero() {
		fmt.Fprintf(&b, " object=%s", stamp(e.ObjectTime))
	}
	if e.Revision != "" {
		fmt.Fprintf(&b, " revision=%s", e.Revision)
	}
	if e.Phase != "" {
		fmt.Fprintf(&b, " phase=%s", e.Phase)
	}
	if e.PodIndex != "" {
		fmt.Fprintf(&b, " pod-index=%s", e.PodIndex)
	}
	for i, o := range e.Owners {
		if i == 0 {
			b.WriteString(" owners=")
		} else {
			b.WriteString(",")
		}
		b.WriteString(o.String())
	}
	if e.Baseline {
		b.WriteString(" (baseline)")
	}
	return b.String()
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("15:04:05.000000")
}

// shortUID keeps evidence lines readable; 8 hex digits are enough to tell
// two incarnations of the same pod name apart.
func shortUID(uid string) string {
	if len(uid) > 8 {
		return uid[:8]
	}
	return uid
}

// ParseOrdinal returns N for a pod named <statefulSet>-<N>, or -1. Names the
// controller would never produce (signs, leading zeros) are rejected so a
// stray pod cannot masquerade as an ordinal.
func ParseOrdinal(statefulSet, pod string) int {
	suffix, ok := strings.CutPrefix(pod, statefulSet+"-")
	if !ok || suffix == "" {
		return -1
	}
	for _, r := range suffix {
		if r < '0' || r > '9' {
			return -1
		}
	}
	n, err := strconv.Atoi(suffix)
	if err != nil || strconv.Itoa(n) != suffix {
		return -1
	}
	return n
}
