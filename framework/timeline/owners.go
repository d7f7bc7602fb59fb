package timeline

import (
	"slices"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Owner is one ownerReference of a pod or claim. Who owns an object says
// who may adopt, release or garbage-collect it: a StatefulSet adopts a
// pod by becoming its controller, and a claim is deleted by the garbage
// collector only once all of its owners are gone.
type Owner struct {
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	UID        string `json:"uid"`
	Controller bool   `json:"controller,omitempty"`
}

// String is the owner as evidence: Kind/name uid, "(controller)".
func (o Owner) String() string {
	s := o.Kind + "/" + o.Name + " uid=" + shortUID(o.UID)
	if o.Controller {
		s += " (controller)"
	}
	return s
}

// ownersOf converts ownerReferences; nil for none, so that an event of an
// unowned object carries no owners field.
func ownersOf(refs []metav1.OwnerReference) []Owner {
	var out []Owner
	for _, r := range refs {
		out = append(out, Owner{Kind: r.Kind, Name: r.Name, UID: string(r.UID), Controller: r.Controller != nil && *r.Controller})
	}
	return out
}

// sameOwners compares two owner lists in order, as the API stores them.
func sameOwners(a, b []Owner) bool { return slices.Equal(a, b) }

// ControllerOf is the owner marked controller, if any.
func ControllerOf(owners []Owner) (Owner, bool) {
	for _, o := range owners {
		if o.Controller {
			return o, true
		}
	}
	return Owner{}, false
}
