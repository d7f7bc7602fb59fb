package cluster

import (
	"strings"
	"testing"
)

func TestValidateName(t *testing.T) {
	for _, ok := range []string{"stsconform", "stsconform-selftest", "ci.1"} {
		if err := ValidateName(ok); err != nil {
			t.Errorf("ValidateName(%q) = %v", ok, err)
		}
	}
	for name, want := range map[string]string{
		"":          "the kind cluster name is empty",
		"My_Kind":   `"My_Kind" is not a kind cluster name`,
		"two words": "lower-case letters, digits",
	} {
		if err := ValidateName(name); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ValidateName(%q) = %v; want %q", name, err, want)
		}
	}
}

// Create names the bad name first, rather than a list of required fields.
func TestCreateNamesAnEmptyName(t *testing.T) {
	_, err := Create(t.Context(), CreateInput{ConfigPath: "kind-config.yaml"})
	if err == nil || err.Error() != "the kind cluster name is empty" {
		t.Errorf("Create without a name: %v", err)
	}
}
