package selftest

import (
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	fakediscovery "k8s.io/client-go/discovery/fake"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/stsconform/stsconform/fixtures"
)

func discoveryServing(versions ...string) *fakediscovery.FakeDiscovery {
	d := fake.NewClientset().Discovery().(*fakediscovery.FakeDiscovery)
	for _, v := range versions {
		d.Resources = append(d.Resources, &metav1.APIResourceList{
			GroupVersion: "admissionregistration.k8s.io/" + v,
			APIResources: []metav1.APIResource{{Name: "mutatingadmissionpolicies"}, {Name: "mutatingadmissionpolicybindings"}},
		})
	}
	d.Resources = append(d.Resources, &metav1.APIResourceList{
		GroupVersion: "admissionregistration.k8s.io/v1alpha1",
		APIResources: []metav1.APIResource{{Name: "validatingadmissionpolicies"}},
	})
	return d
}

func TestServedAdmissionVersion(t *testing.T) {
	for _, c := range []struct {
		served []string
		want   string
	}{
		{[]string{"v1", "v1beta1"}, "admissionregistration.k8s.io/v1"}, // v1.36 and later, beta on
		{[]string{"v1beta1"}, "admissionregistration.k8s.io/v1beta1"},  // v1.34, v1.35 with the gate
	} {
		got, err := servedAdmissionVersion(discoveryServing(c.served...))
		if err != nil || got != c.want {
			t.Errorf("serving %v: %q, %v; want %q", c.served, got, err, c.want)
		}
	}
	if _, err := servedAdmissionVersion(discoveryServing()); err == nil || !strings.Contains(err.Error(), "MutatingAdmissionPolicy feature gate") {
		t.Errorf("a cluster without the API must be named with the way out: %v", err)
	}
}

// Every admission breakage's manifest takes the served version, and only
// its policy documents change.
func TestWithAPIVersion(t *testing.T) {
	for _, name := range []string{"parallel-mutation", "partition-reset"} {
		m, err := fixtures.SelftestFile(name, ManifestFile)
		if err != nil {
			t.Fatal(err)
		}
		if !needsAdmissionVersion(m) {
			t.Fatalf("%s: no admission policy found", name)
		}
		out, err := withAPIVersion(m, "admissionregistration.k8s.io/v1")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if strings.Contains(string(out), "v1beta1") || strings.Count(string(out), "apiVersion: admissionregistration.k8s.io/v1\n") != 2 {
			t.Errorf("%s: rewritten manifest:\n%s", name, out)
		}
		if len(out) != len(m)-2*len("beta1") {
			t.Errorf("%s: more than the two apiVersion lines changed", name)
		}
	}
	other := []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: coredns\n")
	if needsAdmissionVersion(other) {
		t.Error("a ConfigMap manifest needs no admission version")
	}
	if out, err := withAPIVersion(other, "admissionregistration.k8s.io/v1"); err != nil || string(out) != string(other) {
		t.Errorf("a ConfigMap changed: %q, %v", out, err)
	}
}
