package featuregate

import (
	"fmt"

	"github.com/stsconform/stsconform/framework/report"
)

// ControllerEnabled says whether the StatefulSet controller (in
// kube-controller-manager, where the gated behaviour lives) runs with the
// gate on. unknown is the reason when that could not be read: a spec then
// verifies neither behaviour.
func ControllerEnabled(gates []report.FeatureGate, name string) (on bool, unknown string) {
	for _, g := range gates {
		if g.Name != name {
			continue
		}
		switch s := g.ControllerManager; s.Value {
		case onOff(true):
			return true, ""
		case onOff(false):
			return false, ""
		default:
			return false, fmt.Sprintf("gate %s of kube-controller-manager unknown: %s", name, s)
		}
	}
	return false, fmt.Sprintf("gate %s was not read", name)
}
