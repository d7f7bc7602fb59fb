package cluster

import (
	"strings"
	"testing"

	kindv1alpha4 "sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
)

func TestParseFeatureGates(t *testing.T) {
	got, err := ParseFeatureGates(" StatefulSetRecreateStrategy=true, MaxUnavailableStatefulSet=false ")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got["StatefulSetRecreateStrategy"] || got["MaxUnavailableStatefulSet"] {
		t.Fatalf("got %v", got)
	}
	if s := FormatFeatureGates(got); s != "MaxUnavailableStatefulSet=false,StatefulSetRecreateStrategy=true" {
		t.Errorf("FormatFeatureGates = %q", s)
	}
	if none, err := ParseFeatureGates(""); err != nil || len(none) != 0 {
		t.Errorf("empty: %v, %v", none, err)
	}
}

func TestParseFeatureGatesRefuses(t *testing.T) {
	for in, want := range map[string]string{
		"StatefulSetRecreateStrategy":        "want Name=true",
		"statefulSetRecreate=true":           "UpperCamelCase",
		"A=yes":                              `value "yes" is not true or false`,
		"A=true,A=false":                     "given twice",
		"StatefulSetRecreateStrategy=true,,": "want Name=true",
	} {
		if _, err := ParseFeatureGates(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseFeatureGates(%q) = %v, want an error with %q", in, err, want)
		}
	}
}

func TestApplyFeatureGatesOverTheConfig(t *testing.T) {
	c := &kindv1alpha4.Cluster{FeatureGates: map[string]bool{"A": false, "B": true}}
	applyFeatureGates(c, map[string]bool{"A": true})
	if !c.FeatureGates["A"] || !c.FeatureGates["B"] {
		t.Errorf("gates %v: want A set over the config, B kept", c.FeatureGates)
	}
	empty := &kindv1alpha4.Cluster{}
	applyFeatureGates(empty, nil)
	if empty.FeatureGates != nil {
		t.Errorf("no gates asked for: the config must stay as written, got %v", empty.FeatureGates)
	}
}
