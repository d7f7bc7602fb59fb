package featuregate

import (
	"context"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/stsconform/stsconform/framework/controlplane"
	"github.com/stsconform/stsconform/framework/report"
)

// controllerManagerPort is kube-controller-manager's default secure port
// (--secure-port), where it serves /metrics.
const controllerManagerPort = "10257"

// ReadInput configures Read.
type ReadInput struct {
	Client kubernetes.Interface
}

// Read states every gate of StatefulSet for both control-plane components.
// It never fails: what cannot be read is unknown with the reason.
func Read(ctx context.Context, in ReadInput) []report.FeatureGate {
	return read(ctx, newSource(in.Client))
}

// source is where Read looks; tests answer for the cluster.
type source struct {
	// get does a GET of an absolute API server path.
	get  func(ctx context.Context, path string) ([]byte, error)
	pods func(ctx context.Context, component string) ([]corev1.Pod, error)
}

func newSource(c kubernetes.Interface) source {
	return source{
		get: func(ctx context.Context, path string) ([]byte, error) {
			rc := c.CoreV1().RESTClient()
			// The fake clientset hands out a typed nil.
			if r, ok := rc.(*rest.RESTClient); rc == nil || (ok && r == nil) {
				return nil, fmt.Errorf("the client has no REST client")
			}
			return rc.Get().AbsPath(path).DoRaw(ctx)
		},
		pods: func(ctx context.Context, component string) ([]corev1.Pod, error) {
			return controlplane.Pods(ctx, c, component)
		},
	}
}

// component is what was learnt of one control-plane component.
type component struct {
	name string
	// metrics, when read, are the component's own answer.
	metrics map[string]Metric
	// metricsWhy is why metrics are nil.
	metricsWhy string
	// pod is the component's pod in kube-system (nil: none visible).
	pod *corev1.Pod
	// flags are the gates its --feature-gates sets (nil: no pod, or not
	// parseable; see flagsWhy).
	flags    map[string]bool
	flagsWhy string
}

func read(ctx context.Context, src source) []report.FeatureGate {
	api := readComponent(ctx, src, controlplane.APIServer, "/metrics")
	kcm := readComponent(ctx, src, controlplane.ControllerManager, "")
	if kcm.pod != nil {
		// The API server's proxy to the pod's secure port: answered only
		// where the controller manager lets the request through (its
		// --authorization-always-allow-paths, or an authorizer that does).
		path := fmt.Sprintf("/api/v1/namespaces/%s/pods/https:%s:%s/proxy/metrics", kcm.pod.Namespace, kcm.pod.Name, securePort(*kcm.pod))
		kcm.metrics, kcm.metricsWhy = metricsAt(ctx, src, path)
	} else {
		kcm.metricsWhy = "no " + controlplane.ControllerManager + " pod visible in " + controlplane.Namespace
	}
	out := make([]report.FeatureGate, 0, len(StatefulSet))
	for _, name := range StatefulSet {
		g := report.FeatureGate{Name: name}
		g.APIServer = api.state(name)
		g.ControllerManager = kcm.state(name)
		if g.ControllerManager.Value == "" {
			if s, ok := inherited(name, api, kcm); ok {
				g.ControllerManager = s
			}
		}
		for _, c := range []component{api, kcm} {
			if m, ok := c.metrics[name]; ok && g.Stage == "" {
				g.Stage = m.Stage
			}
		}
		out = append(out, g)
	}
	return out
}

func readComponent(ctx context.Context, src source, name, metricsPath string) component {
	c := component{name: name}
	if metricsPath != "" {
		c.metrics, c.metricsWhy = metricsAt(ctx, src, metricsPath)
	}
	pods, err := src.pods(ctx, name)
	switch {
	case err != nil:
		c.flagsWhy = why("list "+name+" pods in "+controlplane.Namespace, err)
	case len(pods) == 0:
		c.flagsWhy = "no " + name + " pod visible in " + controlplane.Namespace + " (a managed control plane does not show it)"
	default:
		c.pod = &pods[0]
		v, _ := controlplane.FlagValue(controlplane.CommandLine(*c.pod, name), "feature-gates")
		if c.flags, err = ParseFlag(v); err != nil {
			c.flags, c.flagsWhy = nil, err.Error()
		}
	}
	return c
}

func metricsAt(ctx context.Context, src source, path string) (map[string]Metric, string) {
	body, err := src.get(ctx, path)
	if err != nil {
		return nil, why("GET "+path, err)
	}
	m, err := ParseMetrics(body)
	if err != nil {
		return nil, "GET " + path + ": " + err.Error()
	}
	return m, ""
}

// state is the gate as this component itself says: its metric, else the
// flag on its pod's command line.
func (c component) state(gate string) report.Setting {
	s := report.Setting{Name: gate}
	if c.metrics != nil {
		m, ok := c.metrics[gate]
		if !ok {
			s.Unknown = "not registered by " + c.name + " (its metrics have no sample: a gate removed after GA, or one this release does not have)"
			return s
		}
		s.Value, s.Source = onOff(m.Enabled), c.name+" metric "+metricName
		return s
	}
	if on, ok := c.flags[gate]; ok {
		s.Value, s.Source = onOff(on), "--feature-gates of pod "+c.pod.Namespace+"/"+c.pod.Name
		return s
	}
	s.Unknown = c.name + " metrics not readable (" + c.metricsWhy + ")"
	if c.flagsWhy != "" {
		s.Unknown += "; " + c.flagsWhy
	} else {
		s.Unknown += "; its --feature-gates does not set it"
	}
	return s
}

// inherited is the controller manager's value of a gate it neither reports
// nor sets, taken from the API server: sound only when neither component's
// flags set it and both run the same release, since then both take the
// release's default from the same table.
func inherited(gate string, api, kcm component) (report.Setting, bool) {
	if api.metrics == nil || api.pod == nil || kcm.pod == nil || api.flags == nil || kcm.flags == nil {
		return report.Setting{}, false
	}
	if _, set := api.flags[gate]; set {
		return report.Setting{}, false
	}
	m, ok := api.metrics[gate]
	av, kv := controlplane.ImageTag(*api.pod, controlplane.APIServer), controlplane.ImageTag(*kcm.pod, controlplane.ControllerManager)
	if av == "" || av != kv {
		return report.Setting{}, false
	}
	if !ok {
		return report.Setting{Name: gate, Unknown: fmt.Sprintf("not registered in %s (kube-apiserver of the same release has no sample for it)", av)}, true
	}
	return report.Setting{Name: gate, Value: onOff(m.Enabled),
		Source: fmt.Sprintf("the %s default: %s's metric, neither component's --feature-gates sets it and both run %s (%s metrics not readable: %s)", av, controlplane.APIServer, av, controlplane.ControllerManager, kcm.metricsWhy)}, true
}

func onOff(on bool) string {
	if on {
		return "enabled"
	}
	return "disabled"
}

func why(what string, err error) string {
	if apierrors.IsForbidden(err) {
		return "forbidden to " + what + ": " + firstLine(err.Error())
	}
	return "cannot " + what + ": " + firstLine(err.Error())
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

func securePort(p corev1.Pod) string {
	if v, ok := controlplane.FlagValue(controlplane.CommandLine(p, controlplane.ControllerManager), "secure-port"); ok && v != "" {
		return v
	}
	return controllerManagerPort
}
