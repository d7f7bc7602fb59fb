package statefulset

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

// refusing is a clientset whose API server answers every StatefulSet
// creation with err, and records whether the creation was a dry run.
func refusing(err error, dryRun *bool) *fake.Clientset {
	c := fake.NewClientset()
	c.PrependReactor("create", "statefulsets", func(a k8stesting.Action) (bool, runtime.Object, error) {
		opts := a.(k8stesting.CreateActionImpl).GetCreateOptions()
		*dryRun = len(opts.DryRun) == 1 && opts.DryRun[0] == metav1.DryRunAll
		return err != nil, nil, err
	})
	return c
}

func TestCreateRefused(t *testing.T) {
	set, _ := New("ns", "web", "img", WithRecreate())
	gk := schema.GroupKind{Group: "apps", Kind: "StatefulSet"}
	invalid := errors.NewInvalid(gk, "web", field.ErrorList{field.Invalid(field.NewPath("spec", "updateStrategy"), "Recreate", "must be 'RollingUpdate' or 'OnDelete'")})
	var dry bool
	got, err := CreateRefused(t.Context(), refusing(invalid, &dry), set, "spec.updateStrategy")
	if err != nil || !strings.Contains(got, "must be 'RollingUpdate' or 'OnDelete'") {
		t.Errorf("refused on the field: %q, %v", got, err)
	}
	if !dry {
		t.Error("the creation was not a dry run: a cluster that accepted it would now hold the set")
	}
	for name, c := range map[string]struct {
		err  error
		want string
	}{
		"accepted":      {nil, "accepts StatefulSet ns/web with spec.updateStrategy as written"},
		"forbidden":     {errors.NewForbidden(schema.GroupResource{Group: "apps", Resource: "statefulsets"}, "web", nil), "dry-run create of StatefulSet ns/web"},
		"another field": {errors.NewInvalid(gk, "web", field.ErrorList{field.Required(field.NewPath("spec", "selector"), "")}), "but not on spec.updateStrategy"},
	} {
		if _, err := CreateRefused(t.Context(), refusing(c.err, &dry), set, "spec.updateStrategy"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", name, err, c.want)
		}
	}
}
