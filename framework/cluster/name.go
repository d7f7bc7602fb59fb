package cluster

import (
	"fmt"
	"regexp"
)

// kindName is kind's own rule for a cluster name
// (sigs.k8s.io/kind/pkg/internal/apis/config/validate.go, not exported):
// the name prefixes the node containers and the kubeconfig context.
var kindName = regexp.MustCompile(`^[a-z0-9.-]+$`)

// ValidateName says, in one line, why name cannot name a kind cluster,
// before anything asks Docker.
func ValidateName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("the kind cluster name is empty")
	case !kindName.MatchString(name):
		return fmt.Errorf("%q is not a kind cluster name: kind allows lower-case letters, digits, '.' and '-'", name)
	}
	return nil
}
