package selftest

import (
	"bytes"
	"fmt"
	"regexp"

	"k8s.io/client-go/discovery"
	"sigs.k8s.io/yaml"
)

// The admission breakages are written against admissionregistration.k8s.io
// v1beta1 (MutatingAdmissionPolicy is beta, off by default, in v1.34 and
// v1.35, GA and on in v1.36). Each cluster is given the newest version it
// serves: v1beta1 is served from v1.36 on only where runtime-config turns
// it on, and a later release may drop it.
const admissionGroup = "admissionregistration.k8s.io"

// admissionVersions are tried newest first.
var admissionVersions = []string{"v1", "v1beta1", "v1alpha1"}

// policyKinds are the kinds whose apiVersion follows the cluster; their
// resources name the version's discovery entries.
var policyKinds = map[string]string{
	"MutatingAdmissionPolicy":        "mutatingadmissionpolicies",
	"MutatingAdmissionPolicyBinding": "mutatingadmissionpolicybindings",
}

// servedAdmissionVersion is the newest version of admissionregistration that
// serves MutatingAdmissionPolicy on this cluster.
func servedAdmissionVersion(d discovery.DiscoveryInterface) (string, error) {
	var tried []string
	for _, v := range admissionVersions {
		gv := admissionGroup + "/" + v
		list, err := d.ServerResourcesForGroupVersion(gv)
		if err != nil {
			tried = append(tried, fmt.Sprintf("%s: %v", gv, err))
			continue
		}
		for _, r := range list.APIResources {
			if r.Name == policyKinds["MutatingAdmissionPolicy"] {
				return gv, nil
			}
		}
		tried = append(tried, gv+": no mutatingadmissionpolicies")
	}
	return "", fmt.Errorf("the cluster serves MutatingAdmissionPolicy in no version of %s (%v): turn on the MutatingAdmissionPolicy feature gate and its API (see fixtures/selftest/parallel-mutation/kind-config.yaml)", admissionGroup, tried)
}

var apiVersionLine = regexp.MustCompile(`(?m)^apiVersion:[ \t]*\S+[ \t]*$`)

// withAPIVersion sets, in each document of a manifest whose kind is one of
// policyKinds, the apiVersion to gv; other documents are left as written.
func withAPIVersion(manifest []byte, gv string) ([]byte, error) {
	docs := bytes.Split(manifest, []byte("\n---\n"))
	for i, doc := range docs {
		var head struct {
			Kind string `json:"kind"`
		}
		if err := yaml.Unmarshal(doc, &head); err != nil {
			return nil, fmt.Errorf("document %d: %w", i+1, err)
		}
		if _, ok := policyKinds[head.Kind]; !ok {
			continue
		}
		if n := len(apiVersionLine.FindAllIndex(doc, -1)); n != 1 {
			return nil, fmt.Errorf("document %d (%s) has %d top-level apiVersion lines, want 1", i+1, head.Kind, n)
		}
		docs[i] = apiVersionLine.ReplaceAll(doc, []byte("apiVersion: "+gv))
	}
	return bytes.Join(docs, []byte("\n---\n")), nil
}

// needsAdmissionVersion reports whether a manifest holds an admission
// policy whose version must follow the cluster.
func needsAdmissionVersion(manifest []byte) bool {
	for kind := range policyKinds {
		if bytes.Contains(manifest, []byte("kind: "+kind+"\n")) {
			return true
		}
	}
	return false
}
