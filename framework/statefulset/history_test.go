package statefulset

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

func controllerRevision(name string, number int64, data string) appsv1.ControllerRevision {
	return appsv1.ControllerRevision{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Revision:   number,
		Data:       runtime.RawExtension{Raw: []byte(data)},
	}
}

// The shape the controller stores (a template patch with $patch: replace).
func templateData(image string) string {
	return `{"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"sidecar","image":"other"},{"name":"web","image":"` + image + `"}]}}}}`
}

func TestHistoryOf(t *testing.T) {
	h, err := HistoryOf([]appsv1.ControllerRevision{
		controllerRevision("web-b", 2, templateData("web:2")),
		controllerRevision("web-a", 1, templateData("web:1")),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 || h[0].Name != "web-a" || h[0].Image != "web:1" || h[1].Number != 2 || h[1].Image != "web:2" {
		t.Fatalf("history = %v", h)
	}
	prev, err := Previous(h)
	if err != nil || prev.Name != "web-a" {
		t.Fatalf("Previous = %v, %v", prev, err)
	}
	if _, err := Previous(h[:1]); err == nil {
		t.Fatal("Previous of a single revision must fail")
	}
	for name, data := range map[string]string{"not json": "{", "no web container": `{"spec":{"template":{"spec":{"containers":[{"name":"x","image":"y"}]}}}}`} {
		_, err := HistoryOf([]appsv1.ControllerRevision{controllerRevision("web-c", 3, data)})
		if err == nil || !strings.Contains(err.Error(), "web-c") {
			t.Errorf("%s: err = %v, want one naming web-c", name, err)
		}
	}
}

func TestRollBackReused(t *testing.T) {
	v1 := Revision{Number: 1, Name: "web-a", Image: "web:1"}
	v2 := Revision{Number: 2, Name: "web-b", Image: "web:2"}
	renumbered := v1
	renumbered.Number = 3
	before := []Revision{v1, v2}
	cases := []struct {
		name  string
		after []Revision
		want  string // substring of the error; "" passes
	}{
		{"reused and renumbered", []Revision{v2, renumbered}, ""},
		{"new revision created", []Revision{v1, v2, {Number: 3, Name: "web-c", Image: "web:1"}}, "created new ControllerRevision(s) [revision 3 web-c"},
		{"not renumbered", before, "newest revision is revision 2 web-b"},
		{"renumbered wrong", []Revision{v2, {Number: 7, Name: "web-a", Image: "web:1"}}, "want web-a renumbered 3"},
		{"revision lost", []Revision{renumbered}, "from 2 to 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := RollBackReused(before, tc.after, v1)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
