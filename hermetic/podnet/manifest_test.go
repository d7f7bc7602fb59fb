package podnet

import (
	"bufio"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes/scheme"
)

const podSubnet = "10.244.0.0/16"

// decodeAll renders the manifest as kind would and strictly decodes every
// non-empty document (unknown or duplicated fields fail).
func decodeAll(t *testing.T) []runtime.Object {
	t.Helper()
	rendered, err := Render(podSubnet)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	if strings.Contains(rendered, "{{") {
		t.Fatal("template actions left after rendering")
	}
	dec := serializer.NewCodecFactory(scheme.Scheme, serializer.EnableStrict).UniversalDeserializer()
	r := utilyaml.NewYAMLReader(bufio.NewReader(strings.NewReader(rendered)))
	var objs []runtime.Object
	for {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if onlyComments(doc) {
			continue
		}
		obj, gvk, err := dec.Decode(doc, nil, nil)
		if err != nil {
			t.Fatalf("decode:\n%s\n%v", doc, err)
		}
		if gvk.Kind != "ClusterRole" && gvk.Kind != "ClusterRoleBinding" {
			if ns := obj.(interface{ GetNamespace() string }).GetNamespace(); ns != "kube-system" {
				t.Errorf("%s in namespace %q, want kube-system", gvk.Kind, ns)
			}
		}
		objs = append(objs, obj)
	}
	return objs
}

func onlyComments(doc []byte) bool {
	for _, l := range strings.Split(string(doc), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			return false
		}
	}
	return true
}

func TestManifestHasKindMarkers(t *testing.T) {
	// kind only templates and patches the manifest when these are present.
	for _, m := range []string{"would you kindly template this file", "would you kindly patch this file"} {
		if !strings.Contains(DefaultCNIManifest, m) {
			t.Errorf("manifest lacks %q", m)
		}
	}
}

func TestManifestObjects(t *testing.T) {
	var (
		sa  *corev1.ServiceAccount
		cr  *rbacv1.ClusterRole
		crb *rbacv1.ClusterRoleBinding
		ds  *appsv1.DaemonSet
	)
	for _, o := range decodeAll(t) {
		switch o := o.(type) {
		case *corev1.ServiceAccount:
			sa = o
		case *rbacv1.ClusterRole:
			cr = o
		case *rbacv1.ClusterRoleBinding:
			crb = o
		case *appsv1.DaemonSet:
			ds = o
		default:
			t.Errorf("unexpected object %T", o)
		}
	}
	if sa == nil || cr == nil || crb == nil || ds == nil {
		t.Fatalf("missing objects: sa=%v cr=%v crb=%v ds=%v", sa != nil, cr != nil, crb != nil, ds != nil)
	}

	// RBAC: get/list/watch nodes, bound to the DaemonSet's service account.
	canNodes := false
	for _, r := range cr.Rules {
		if slices.Contains(r.APIGroups, "") && slices.Contains(r.Resources, "nodes") {
			canNodes = slices.Contains(r.Verbs, "get") && slices.Contains(r.Verbs, "list") && slices.Contains(r.Verbs, "watch")
		}
	}
	if !canNodes {
		t.Errorf("ClusterRole rules %+v do not allow get/list/watch nodes", cr.Rules)
	}
	if crb.RoleRef.Kind != "ClusterRole" || crb.RoleRef.Name != cr.Name {
		t.Errorf("ClusterRoleBinding roleRef = %+v", crb.RoleRef)
	}
	if len(crb.Subjects) != 1 || crb.Subjects[0].Kind != "ServiceAccount" || crb.Subjects[0].Name != sa.Name || crb.Subjects[0].Namespace != "kube-system" {
		t.Errorf("ClusterRoleBinding subjects = %+v", crb.Subjects)
	}

	// DaemonSet.
	if ds.Name != "podnet" || ds.Namespace != "kube-system" {
		t.Errorf("DaemonSet %s/%s", ds.Namespace, ds.Name)
	}
	if ds.Spec.Selector == nil || ds.Spec.Selector.MatchLabels["app"] != ds.Spec.Template.Labels["app"] {
		t.Errorf("selector %+v does not match template labels %v", ds.Spec.Selector, ds.Spec.Template.Labels)
	}
	ps := ds.Spec.Template.Spec
	if !ps.HostNetwork {
		t.Error("hostNetwork is not true")
	}
	if ps.PriorityClassName != "system-node-critical" {
		t.Errorf("priorityClassName = %q", ps.PriorityClassName)
	}
	if ps.ServiceAccountName != sa.Name {
		t.Errorf("serviceAccountName = %q, want %q", ps.ServiceAccountName, sa.Name)
	}
	tolerateAll := slices.ContainsFunc(ps.Tolerations, func(t corev1.Toleration) bool {
		return t.Operator == corev1.TolerationOpExists && t.Key == "" && t.Effect == ""
	})
	if !tolerateAll {
		t.Errorf("tolerations %+v do not tolerate everything", ps.Tolerations)
	}
	if len(ps.Containers) != 1 {
		t.Fatalf("want 1 container, got %d", len(ps.Containers))
	}
	c := ps.Containers[0]
	if c.Image != Image || c.ImagePullPolicy != corev1.PullIfNotPresent {
		t.Errorf("image %q pull %q", c.Image, c.ImagePullPolicy)
	}
	if !slices.Equal(c.Command, []string{"/podnet"}) {
		t.Errorf("command = %q", c.Command)
	}
	env := map[string]corev1.EnvVar{}
	for _, e := range c.Env {
		env[e.Name] = e
	}
	if e := env["NODE_NAME"]; e.ValueFrom == nil || e.ValueFrom.FieldRef == nil || e.ValueFrom.FieldRef.FieldPath != "spec.nodeName" {
		t.Errorf("NODE_NAME env = %+v", e)
	}
	if e := env["POD_SUBNET"]; e.Value != podSubnet {
		t.Errorf("POD_SUBNET = %q, want the rendered %q", e.Value, podSubnet)
	}
	sc := c.SecurityContext
	privileged := sc != nil && sc.Privileged != nil && *sc.Privileged
	netAdmin := sc != nil && sc.Capabilities != nil &&
		slices.Contains(sc.Capabilities.Add, "NET_ADMIN") && slices.Contains(sc.Capabilities.Add, "NET_RAW")
	if !privileged && !netAdmin {
		t.Errorf("securityContext %+v grants neither privileged nor NET_ADMIN+NET_RAW", sc)
	}
	mounted := false
	for _, m := range c.VolumeMounts {
		if m.MountPath != "/etc/cni/net.d" || m.ReadOnly {
			continue
		}
		for _, v := range ps.Volumes {
			if v.Name == m.Name && v.HostPath != nil && v.HostPath.Path == "/etc/cni/net.d" {
				mounted = true
			}
		}
	}
	if !mounted {
		t.Errorf("host /etc/cni/net.d not mounted read-write at /etc/cni/net.d: mounts %+v volumes %+v", c.VolumeMounts, ps.Volumes)
	}
	req := c.Resources.Requests
	if req.Cpu().MilliValue() == 0 || req.Cpu().MilliValue() > 100 || req.Memory().Value() == 0 || req.Memory().Value() > 64<<20 {
		t.Errorf("requests %v: want small, non-zero cpu and memory", req)
	}
}
