package statefulset

import (
	"encoding/json"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/util/strategicpatch"
)

func TestListed(t *testing.T) {
	a, _ := New("ns1", "web", "web:1")
	b, _ := New("ns2", "web", "web:1")
	list := []appsv1.StatefulSet{*b, *a}
	expectErr(t, "exactly", Listed(list, "x=y", "ns1/web", "ns2/web"), "")
	expectErr(t, "one more", Listed(list, "x=y", "ns1/web"),
		"StatefulSet collection: listing StatefulSets with x=y returned ns1/web, ns2/web, want exactly ns1/web")
	expectErr(t, "one missing", Listed(list[:1], "x=y", "ns1/web", "ns2/web"), "returned ns2/web, want exactly ns1/web, ns2/web")
	expectErr(t, "none", Listed(nil, "x=y", "ns1/web"), "returned none, want exactly ns1/web")
	expectErr(t, "none wanted", Listed(list, "x=y"), "returned ns1/web, ns2/web, want exactly none")
}

// The patch is applied as the API server applies it: the label joins the
// others and only the named container's image changes.
func TestLabelAndImagePatch(t *testing.T) {
	set, _ := New("ns", "web", "web:1")
	patch, err := LabelAndImagePatch("stsconform.io/collection", "ns", Container, "web:2")
	if err != nil {
		t.Fatal(err)
	}
	orig, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	out, err := strategicpatch.StrategicMergePatch(orig, patch, appsv1.StatefulSet{})
	if err != nil {
		t.Fatal(err)
	}
	var got appsv1.StatefulSet
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	c := got.Spec.Template.Spec.Containers
	if got.Labels["stsconform.io/collection"] != "ns" || got.Labels["app"] != "web" || len(c) != 1 || c[0].Image != "web:2" || c[0].ReadinessProbe == nil {
		t.Errorf("patched: labels %v, containers %+v", got.Labels, c)
	}
}
