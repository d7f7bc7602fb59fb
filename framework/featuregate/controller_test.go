package featuregate

import (
	"strings"
	"testing"

	"github.com/stsconform/stsconform/framework/report"
)

func TestControllerEnabled(t *testing.T) {
	gates := []report.FeatureGate{
		{Name: MaxUnavailableStatefulSet, ControllerManager: report.Setting{Value: "enabled"}},
		{Name: StatefulSetRecreateStrategy, ControllerManager: report.Setting{Value: "disabled"}},
		{Name: PodIndexLabel, ControllerManager: report.Setting{Unknown: "forbidden"}},
	}
	if on, why := ControllerEnabled(gates, MaxUnavailableStatefulSet); !on || why != "" {
		t.Errorf("MaxUnavailableStatefulSet = %t %q", on, why)
	}
	if on, why := ControllerEnabled(gates, StatefulSetRecreateStrategy); on || why != "" {
		t.Errorf("StatefulSetRecreateStrategy = %t %q", on, why)
	}
	if _, why := ControllerEnabled(gates, PodIndexLabel); !strings.Contains(why, "forbidden") {
		t.Errorf("unknown gate: %q", why)
	}
	if _, why := ControllerEnabled(gates, "Nope"); why == "" {
		t.Errorf("a gate never read is unknown")
	}
}

// A gate off or unknown is not verified, with the reason; only on runs.
