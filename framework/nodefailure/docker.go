package nodefailure

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"sigs.k8s.io/kind/pkg/exec"
)

// KindClusterLabel is set by kind on every node container.
const KindClusterLabel = "io.x-k8s.kind.cluster"

// Runtime runs the container CLI that hosts the kind nodes. The zero value
// runs docker on the local host.
type Runtime struct {
	// Binary is the CLI to run; "" means "docker".
	Binary string
	// Cmder creates the commands; nil means kind's local exec.
	Cmder exec.Cmder
}

// Stop kills the node's container at once, without a graceful shutdown, as a
// power cut would. Stopping a stopped node succeeds.
func Stop(ctx context.Context, node string) error { return Runtime{}.Stop(ctx, node) }

// Start starts the node's container again. Starting a running node succeeds.
func Start(ctx context.Context, node string) error { return Runtime{}.Start(ctx, node) }

// IsKindNode reports whether node is a kind node container on this host. It
// is false with a nil error when no such container exists or it lacks kind's
// label, and false with an error when the runtime could not be asked (no
// CLI, daemon unreachable): either way a spec skips, the error saying why.
func IsKindNode(ctx context.Context, node string) (bool, error) {
	return Runtime{}.IsKindNode(ctx, node)
}

// Stop is the package-level Stop on this runtime.
func (r Runtime) Stop(ctx context.Context, node string) error {
	// "stop -t 0" rather than "kill": a manually stopped container is not
	// restarted by its restart policy (kind sets on-failure), and -t is
	// accepted by every docker and podman version, unlike --time/--timeout.
	_, err := r.run(ctx, "stop", "-t", "0", node)
	return err
}

// Start is the package-level Start on this runtime.
func (r Runtime) Start(ctx context.Context, node string) error {
	_, err := r.run(ctx, "start", node)
	return err
}

// IsKindNode is the package-level IsKindNode on this runtime.
func (r Runtime) IsKindNode(ctx context.Context, node string) (bool, error) {
	args := []string{"inspect", "--type", "container", "--format", "{{json .Config.Labels}}", node}
	lines, err := r.run(ctx, args...)
	if err != nil {
		if strings.Contains(strings.ToLower(err.Error()), "no such") {
			return false, nil
		}
		return false, err
	}
	var labels map[string]string
	if err := json.Unmarshal([]byte(strings.Join(lines, "\n")), &labels); err != nil {
		return false, fmt.Errorf("%s printed %q, not a label map: %w", exec.PrettyCommand(r.binary(), args...), lines, err)
	}
	_, ok := labels[KindClusterLabel]
	return ok, nil
}

func (r Runtime) run(ctx context.Context, args ...string) ([]string, error) {
	bin := r.binary()
	cmder := r.Cmder
	if cmder == nil {
		cmder = exec.DefaultCmder
	}
	lines, err := exec.CombinedOutputLines(cmder.CommandContext(ctx, bin, args...))
	if err != nil {
		return lines, commandError(bin, args, lines, err)
	}
	return lines, nil
}

func (r Runtime) binary() string {
	if r.Binary == "" {
		return "docker"
	}
	return r.Binary
}

// commandError puts the output in the message: kind's RunError carries it
// but does not print it.
func commandError(bin string, args, lines []string, err error) error {
	cmd := exec.PrettyCommand(bin, args...)
	output := strings.Join(lines, "\n")
	if re := exec.RunErrorForError(err); re != nil {
		cmd = re.PrettyCommand()
		if len(re.Output) > 0 {
			output = strings.TrimRight(string(re.Output), "\n")
		}
	}
	return fmt.Errorf("%s: %w\noutput:\n%s", cmd, err, output)
}
