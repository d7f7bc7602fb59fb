package cluster

import (
	"context"
	"fmt"
	"strings"

	"sigs.k8s.io/kind/pkg/exec"
)

// dockerAnswers turns the ways Docker can be missing into one line each.
func dockerAnswers(ctx context.Context) error {
	lines, err := exec.CombinedOutputLines(exec.CommandContext(ctx, "docker", "info", "--format", "{{.ServerVersion}}"))
	if err == nil {
		return nil
	}
	out := strings.Join(lines, "\n")
	switch {
	case strings.Contains(err.Error(), "executable file not found"):
		return fmt.Errorf("docker is not installed (run `make docker-up`)")
	case strings.Contains(strings.ToLower(out), "permission denied"):
		return fmt.Errorf("no permission to use Docker: add this user to the docker group or run as root")
	default:
		return fmt.Errorf("no Docker engine answers (run `make docker-up`): %s", strings.TrimSpace(out))
	}
}
