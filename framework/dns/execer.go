package dns

import (
	"context"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/stsconform/stsconform/framework/podexec"
)

// PodRef names the container that runs the lookups.
type PodRef struct {
	Namespace string
	Name      string
	// Container may be empty for single-container pods.
	Container string
}

func (p PodRef) String() string { return p.Namespace + "/" + p.Name }

// Execer runs a command in a pod. Implementations must return what the
// command printed even when err is non-nil: ping exits 1 for lack of a reply
// after printing the address it resolved.
type Execer interface {
	Exec(ctx context.Context, pod PodRef, command []string) (stdout, stderr string, err error)
}

// ExecerFunc adapts a function to Execer.
type ExecerFunc func(ctx context.Context, pod PodRef, command []string) (stdout, stderr string, err error)

func (f ExecerFunc) Exec(ctx context.Context, pod PodRef, command []string) (string, string, error) {
	return f(ctx, pod, command)
}

// PodExecer runs commands through the API server with podexec, each
// bounded by timeout (config Timeouts.Exec): a lookup that hangs must fail
// the attempt, not the wait around it.
func PodExecer(cfg *rest.Config, c kubernetes.Interface, timeout time.Duration) Execer {
	return ExecerFunc(func(ctx context.Context, pod PodRef, command []string) (string, string, error) {
		res, err := podexec.Exec(ctx, cfg, c, podexec.ExecInput{
			Namespace: pod.Namespace,
			Pod:       pod.Name,
			Container: pod.Container,
			Command:   command,
			Timeout:   timeout,
		})
		return res.Stdout, res.Stderr, err
	})
}
