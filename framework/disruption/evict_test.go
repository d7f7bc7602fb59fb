package disruption

import (
	"context"
	"fmt"
	"strings"
	"testing"

	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	clienttesting "k8s.io/client-go/testing"
)

func TestEvictSendsPolicyV1Eviction(t *testing.T) {
	c := fake.NewClientset(pod("sts", "web-0", "kind-worker", "StatefulSet"))
	if err := Evict(context.Background(), c, "sts", "web-0"); err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, a := range c.Actions() {
		ca, ok := a.(clienttesting.CreateAction)
		if !ok || a.GetSubresource() != "eviction" {
			continue
		}
		ev, ok := ca.GetObject().(*policyv1.Eviction)
		if !ok || ev.Name != "web-0" || ev.Namespace != "sts" {
			t.Fatalf("eviction object = %#v", ca.GetObject())
		}
		found = true
	}
	if !found {
		t.Fatalf("no eviction sent; actions: %v", c.Actions())
	}
}

func TestEvictReturnsThePDBRefusalAsIs(t *testing.T) {
	c := fake.NewClientset(pod("sts", "web-0", "kind-worker", "StatefulSet"))
	evictionsRefused(c, pdbRefusal())
	err := Evict(context.Background(), c, "sts", "web-0")
	if !apierrors.IsTooManyRequests(err) {
		t.Fatalf("want 429, got %v", err)
	}
	if !IsBlockedByPDB(err) {
		t.Error("IsBlockedByPDB = false for a PDB refusal")
	}
	if got := BlockReason(err); !strings.Contains(got, "needs 3 healthy pods and has 2") {
		t.Errorf("BlockReason = %q", got)
	}
}

func TestIsBlockedByPDB(t *testing.T) {
	cases := map[string]struct {
		err  error
		want bool
	}{
		"nil":                       {nil, false},
		"PDB refusal":               {pdbRefusal(), true},
		"wrapped PDB refusal":       {fmt.Errorf("evicting web-0: %w", pdbRefusal()), true},
		"throttled, not PDB":        {apierrors.NewTooManyRequests("too many requests, please try again later", 1), false},
		"pod gone":                  {apierrors.NewNotFound(schema.GroupResource{Resource: "pods"}, "web-0"), false},
		"plain error mentioning it": {fmt.Errorf("disruption budget"), false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := IsBlockedByPDB(tc.err); got != tc.want {
				t.Errorf("IsBlockedByPDB = %v, want %v", got, tc.want)
			}
			if BlockReason(tc.err) != "" && !tc.want {
				t.Errorf("BlockReason must be empty when not blocked by a PDB")
			}
		})
	}
}
