package incluster

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"
)

// Placement says where the runner pod may run: a node selector and
// tolerations, besides the preference for a control-plane node.
type Placement struct {
	NodeSelector map[string]string
	Tolerations  []corev1.Toleration
}

// Empty reports whether nothing was asked.
func (p Placement) Empty() bool { return len(p.NodeSelector) == 0 && len(p.Tolerations) == 0 }

// ParsePlacement reads --runner-node-selector KEY=VALUE and
// --runner-toleration KEY[=VALUE][:EFFECT] values. A toleration without a
// value tolerates any value of its key (Exists), without an effect every
// effect; the key * tolerates every taint. Each bad value is one line
// naming it.
func ParsePlacement(selectors, tolerations []string) (Placement, error) {
	var p Placement
	for _, s := range selectors {
		k, v, ok := strings.Cut(s, "=")
		if !ok {
			return Placement{}, fmt.Errorf("--runner-node-selector %q: want KEY=VALUE", s)
		}
		if err := labelKey(k); err != nil {
			return Placement{}, fmt.Errorf("--runner-node-selector %q: %s", s, err)
		}
		if errs := validation.IsValidLabelValue(v); len(errs) > 0 {
			return Placement{}, fmt.Errorf("--runner-node-selector %q: value %s", s, errs[0])
		}
		if p.NodeSelector == nil {
			p.NodeSelector = map[string]string{}
		}
		p.NodeSelector[k] = v
	}
	for _, s := range tolerations {
		t, err := toleration(s)
		if err != nil {
			return Placement{}, fmt.Errorf("--runner-toleration %q: %w", s, err)
		}
		p.Tolerations = append(p.Tolerations, t)
	}
	return p, nil
}

var effects = []corev1.TaintEffect{corev1.TaintEffectNoSchedule, corev1.TaintEffectPreferNoSchedule, corev1.TaintEffectNoExecute}

func toleration(s string) (corev1.Toleration, error) {
	rest, effect, hasEffect := strings.Cut(s, ":")
	t := corev1.Toleration{Operator: corev1.TolerationOpExists}
	if hasEffect {
		t.Effect = corev1.TaintEffect(effect)
		if !slices.Contains(effects, t.Effect) {
			return t, fmt.Errorf("effect %q: want one of %v", effect, effects)
		}
	}
	key, value, hasValue := strings.Cut(rest, "=")
	switch {
	case key == "*" && hasValue:
		return t, fmt.Errorf("the key * (every taint) takes no value")
	case key == "*":
		return t, nil
	}
	if err := labelKey(key); err != nil {
		return t, err
	}
	t.Key = key
	if hasValue {
		if errs := validation.IsValidLabelValue(value); len(errs) > 0 {
			return t, fmt.Errorf("value %s", errs[0])
		}
		t.Operator, t.Value = corev1.TolerationOpEqual, value
	}
	return t, nil
}

func labelKey(k string) error {
	if errs := validation.IsQualifiedName(k); len(errs) > 0 {
		return fmt.Errorf("key %q: %s", k, errs[0])
	}
	return nil
}
