// Package controlplane reads the control-plane components of a kubeadm or
// kind cluster as their static pods in kube-system show them (labelled
// component=<name>): the command line, one flag of it, the release of the
// image. A managed control plane shows no such pods; callers say so.
package controlplane

import (
	"context"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// Components, as their static pods are labelled.
const (
	APIServer         = "kube-apiserver"
	ControllerManager = "kube-controller-manager"
)

// Namespace is where the static pods live.
const Namespace = metav1.NamespaceSystem

// Pods lists the pods of a component in kube-system, by name.
func Pods(ctx context.Context, c kubernetes.Interface, component string) ([]corev1.Pod, error) {
	list, err := c.CoreV1().Pods(Namespace).List(ctx, metav1.ListOptions{LabelSelector: Selector(component)})
	if err != nil {
		return nil, err
	}
	pods := list.Items
	sort.Slice(pods, func(i, j int) bool { return pods[i].Name < pods[j].Name })
	return pods, nil
}

// Selector selects a component's static pods.
func Selector(component string) string { return "component=" + component }

// container is the component's container (the one of its name, else the
// first).
func container(p corev1.Pod, component string) *corev1.Container {
	cs := p.Spec.Containers
	if len(cs) == 0 {
		return nil
	}
	for i := range cs {
		if cs[i].Name == component {
			return &cs[i]
		}
	}
	return &cs[0]
}

// CommandLine is the component container's command and args.
func CommandLine(p corev1.Pod, component string) []string {
	c := container(p, component)
	if c == nil {
		return nil
	}
	return append(append([]string(nil), c.Command...), c.Args...)
}

// FlagValue finds --name=value or --name value (or with one dash); the
// last one wins, as in pflag.
func FlagValue(args []string, name string) (string, bool) {
	var value string
	var found bool
	for i, a := range args {
		flag, ok := strings.CutPrefix(a, "--")
		if !ok {
			flag, ok = strings.CutPrefix(a, "-")
		}
		if !ok {
			continue
		}
		if v, ok := strings.CutPrefix(flag, name+"="); ok {
			value, found = v, true
		} else if flag == name && i+1 < len(args) {
			value, found = args[i+1], true
		}
	}
	return value, found
}

// ImageTag is the tag of the component's image: its release (v1.37.2) on
// kubeadm and kind control planes.
func ImageTag(p corev1.Pod, component string) string {
	c := container(p, component)
	if c == nil {
		return ""
	}
	ref, _, _ := strings.Cut(c.Image, "@")
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		return ref[i+1:]
	}
	return ""
}
