// Package clusterinfo reads from the API server what a certification report
// states about the cluster a run tested: the server version, the nodes with
// their roles, kubelet, container runtime and OS, the CNI, the storage
// classes and the kube-controller-manager settings that change what the
// suite observes (node-monitor-grace-period).
//
// It reports only what the cluster says. Nothing is filled from a default
// or from the configuration the suite would have used: a value that cannot
// be read (no kube-controller-manager pod on a managed control plane, a flag
// left at its built-in default, an RBAC refusal) is a report.Setting with
// Unknown set to the reason.
package clusterinfo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/stsconform/stsconform/framework/controlplane"
	"github.com/stsconform/stsconform/framework/featuregate"
	"github.com/stsconform/stsconform/framework/report"
)

const kubeSystem = metav1.NamespaceSystem

// Input configures Read.
type Input struct {
	Client kubernetes.Interface
	// Origin is how the run got the cluster (cluster.Cluster.Origin):
	// the API server cannot tell whether the suite created it.
	Origin report.ClusterOrigin
}

// Read collects the environment. The suite's identity (version, commit,
// command line, run ID) is the caller's to fill in.
//
// The environment is returned whatever happens, with everything that could
// be read. A value with a place for its reason (CNI, controller settings)
// is left unknown with that reason, RBAC refusals included, and is no
// error. The error joins what has no such place (server version, nodes,
// storage classes), so that the caller can log it; it is not a reason to
// fail a run. It is also non-nil when ctx ends.
func Read(ctx context.Context, in Input) (report.Environment, error) {
	env := report.Environment{Cluster: in.Origin}
	if in.Client == nil {
		return env, errors.New("clusterinfo: Client is required")
	}
	var errs []error
	if err := ctx.Err(); err != nil {
		return env, err
	}
	if v, err := in.Client.Discovery().ServerVersion(); err != nil {
		errs = append(errs, fmt.Errorf("server version unknown: %s", reason("read the server version", err)))
	} else {
		env.ServerVersion = v.GitVersion
	}
	nodes, err := readNodes(ctx, in.Client)
	if err != nil {
		errs = append(errs, err)
	}
	env.Nodes = nodes
	classes, err := readStorageClasses(ctx, in.Client)
	if err != nil {
		errs = append(errs, err)
	}
	env.StorageClasses = classes
	env.CNI = readCNI(ctx, in.Client)
	env.ControllerSettings = readControllerSettings(ctx, in.Client)
	env.FeatureGates = featuregate.Read(ctx, featuregate.ReadInput{Client: in.Client})
	if err := ctx.Err(); err != nil {
		errs = append(errs, err)
	}
	return env, errors.Join(errs...)
}

// reason words an API error as the reason a value is unknown; an RBAC
// refusal says so first.
func reason(what string, err error) string {
	if apierrors.IsForbidden(err) {
		return fmt.Sprintf("forbidden to %s: %v", what, err)
	}
	return fmt.Sprintf("cannot %s: %v", what, err)
}

const rolePrefix = "node-role.kubernetes.io/"

func readNodes(ctx context.Context, c kubernetes.Interface) ([]report.Node, error) {
	list, err := c.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("nodes unknown: %s", reason("list nodes", err))
	}
	out := make([]report.Node, 0, len(list.Items))
	for _, n := range list.Items {
		out = append(out, report.Node{
			Name:                    n.Name,
			Roles:                   roles(n.Labels),
			KubeletVersion:          n.Status.NodeInfo.KubeletVersion,
			ContainerRuntimeVersion: n.Status.NodeInfo.ContainerRuntimeVersion,
			OSImage:                 n.Status.NodeInfo.OSImage,
			KernelVersion:           n.Status.NodeInfo.KernelVersion,
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// roles are what kubectl shows: node-role.kubernetes.io/<role> labels and
// the legacy kubernetes.io/role label. A node without is left without: a
// kind worker carries no role label.
func roles(labels map[string]string) []string {
	var out []string
	for k := range labels {
		if r, ok := strings.CutPrefix(k, rolePrefix); ok && r != "" {
			out = append(out, r)
		}
	}
	if r := labels["kubernetes.io/role"]; r != "" && !slices.Contains(out, r) {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

func readStorageClasses(ctx context.Context, c kubernetes.Interface) ([]report.StorageClass, error) {
	list, err := c.StorageV1().StorageClasses().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("storage classes unknown: %s", reason("list storage classes", err))
	}
	out := make([]report.StorageClass, 0, len(list.Items))
	for _, sc := range list.Items {
		s := report.StorageClass{
			Name:        sc.Name,
			Provisioner: sc.Provisioner,
			Default: sc.Annotations["storageclass.kubernetes.io/is-default-class"] == "true" ||
				sc.Annotations["storageclass.beta.kubernetes.io/is-default-class"] == "true",
		}
		if sc.ReclaimPolicy != nil {
			s.ReclaimPolicy = string(*sc.ReclaimPolicy)
		}
		if sc.VolumeBindingMode != nil {
			s.VolumeBindingMode = string(*sc.VolumeBindingMode)
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// cnis are the pod networks recognised by the name of their DaemonSet.
var cnis = []struct{ match, name string }{
	{"kindnet", "kindnet"},
	{"podnet", "podnet"},
	{"calico", "calico"},
	{"cilium", "cilium"},
	{"flannel", "flannel"},
	{"canal", "canal"},
	{"weave", "weave"},
	{"antrea", "antrea"},
	{"kube-router", "kube-router"},
	{"kube-ovn", "kube-ovn"},
	{"ovnkube", "ovn-kubernetes"},
	{"aws-node", "amazon-vpc-cni"},
	{"azure-cni", "azure-cni"},
}

func knownCNIs() string {
	names := make([]string, len(cnis))
	for i, c := range cnis {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

// readCNI recognises the pod network by its DaemonSet, best effort: in every
// namespace when allowed (flannel and the Calico operator use their own),
// else in kube-system.
func readCNI(ctx context.Context, c kubernetes.Interface) report.Setting {
	s := report.Setting{Name: "cni"}
	where := "any namespace"
	list, err := c.AppsV1().DaemonSets(metav1.NamespaceAll).List(ctx, metav1.ListOptions{})
	if apierrors.IsForbidden(err) {
		where = kubeSystem
		list, err = c.AppsV1().DaemonSets(kubeSystem).List(ctx, metav1.ListOptions{})
	}
	if err != nil {
		s.Unknown = reason("list DaemonSets in "+where, err)
		return s
	}
	items := list.Items
	sort.Slice(items, func(i, j int) bool {
		return items[i].Namespace+"/"+items[i].Name < items[j].Namespace+"/"+items[j].Name
	})
	var names, sources []string
	for _, ds := range items {
		for _, k := range cnis {
			if !strings.Contains(ds.Name, k.match) {
				continue
			}
			if !slices.Contains(names, k.name) {
				names = append(names, k.name)
			}
			sources = append(sources, describeDaemonSet(ds))
			break
		}
	}
	if len(names) == 0 {
		s.Unknown = fmt.Sprintf("no DaemonSet in %s named like a known CNI (%s)", where, knownCNIs())
		return s
	}
	s.Value = strings.Join(names, ", ")
	s.Source = strings.Join(sources, "; ")
	return s
}

func describeDaemonSet(ds appsv1.DaemonSet) string {
	d := "DaemonSet " + ds.Namespace + "/" + ds.Name
	if cs := ds.Spec.Template.Spec.Containers; len(cs) > 0 && cs[0].Image != "" {
		d += ", image " + cs[0].Image
	}
	return d
}

// controllerFlags are the kube-controller-manager flags the report states:
// always is reported even when unset (as unknown), the others only when
// set.
var controllerFlags = []struct {
	name   string
	always bool
}{
	// How long a node may go silent before it is NotReady: the
	// node-failure spec waits for it.
	{"node-monitor-grace-period", true},
	// Gates change StatefulSet behaviour (e.g. MaxUnavailableStatefulSet).
	{"feature-gates", false},
}

// readControllerSettings reads the flags from the command line of the
// kube-controller-manager pods in kube-system (static pods of a kubeadm or
// kind control plane, labelled component=kube-controller-manager). The
// built-in default of a flag is never assumed: it differs between
// versions, and the suite did not read it.
func readControllerSettings(ctx context.Context, c kubernetes.Interface) []report.Setting {
	selector := controlplane.Selector(controlplane.ControllerManager)
	var why string
	pods, err := controlplane.Pods(ctx, c, controlplane.ControllerManager)
	switch {
	case err != nil:
		why = reason("list pods in "+kubeSystem, err)
	case len(pods) == 0:
		why = "no kube-controller-manager pod visible in " + kubeSystem + " (label " + selector + "): a managed control plane does not show it"
	}
	var out []report.Setting
	for _, f := range controllerFlags {
		s := report.Setting{Name: f.name}
		if why != "" {
			if f.always {
				s.Unknown = why
				out = append(out, s)
			}
			continue
		}
		var values, set []string
		for _, p := range pods {
			v, ok := flagValue(controlplane.CommandLine(p, controlplane.ControllerManager), f.name)
			if ok {
				set = append(set, p.Name)
			} else {
				v = "not set"
			}
			values = append(values, v)
		}
		switch {
		case len(set) == 0 && !f.always:
			continue
		case len(set) == 0:
			s.Unknown = fmt.Sprintf("not set on the command line of %s: the built-in default of this Kubernetes version applies and was not read", podList(pods))
		case allEqual(values):
			s.Value = values[0]
			s.Source = "command line of " + podList(pods)
		default:
			parts := make([]string, len(pods))
			for i, p := range pods {
				parts[i] = fmt.Sprintf("%s on %s", values[i], p.Name)
			}
			s.Value = strings.Join(parts, ", ")
			s.Source = "command lines of the kube-controller-manager pods (they disagree)"
		}
		out = append(out, s)
	}
	return out
}

func podList(pods []corev1.Pod) string {
	names := make([]string, len(pods))
	for i, p := range pods {
		names[i] = p.Namespace + "/" + p.Name
	}
	if len(names) == 1 {
		return "kube-controller-manager pod " + names[0]
	}
	return "kube-controller-manager pods " + strings.Join(names, ", ")
}

func allEqual(vs []string) bool {
	for _, v := range vs[1:] {
		if v != vs[0] {
			return false
		}
	}
	return true
}

// flagValue is the flag's value on a component's command line, an empty one
// shown as such.
func flagValue(args []string, name string) (string, bool) {
	v, ok := controlplane.FlagValue(args, name)
	if ok && v == "" {
		v = `"" (set empty)`
	}
	return v, ok
}
