package podexec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/remotecommand"
	utilexec "k8s.io/client-go/util/exec"
	"k8s.io/streaming/pkg/httpstream"
)

// ExecInput names the container and the command to run in it.
type ExecInput struct {
	Namespace string
	Pod       string
	// Container may be empty for single-container pods.
	Container string
	Command   []string
	// Stdin is optional; when nil the command gets no stdin stream.
	Stdin io.Reader
	// Timeout bounds the whole exec, stream included (config
	// Timeouts.Exec). A command that hangs, or a stream the kubelet never
	// closes, would otherwise hold the spec until its own timeout without
	// saying which command hung. Zero is allowed only when ctx carries a
	// deadline.
	Timeout time.Duration
}

// Result is what the command printed.
type Result struct {
	Stdout string
	Stderr string
}

// Exec runs in.Command in the container and waits for it to finish.
//
// The Result is returned even when err is non-nil: a command that exits
// non-zero often printed exactly what the caller needs (ping prints the
// address it resolved before failing for lack of a reply).
func Exec(ctx context.Context, cfg *rest.Config, c kubernetes.Interface, in ExecInput) (Result, error) {
	if err := validate(in); err != nil {
		return Result{}, err
	}
	if _, ok := ctx.Deadline(); in.Timeout == 0 && !ok {
		return Result{}, fmt.Errorf("exec %q in pod %s/%s: no deadline: set ExecInput.Timeout (config Timeouts.Exec) or pass a context with one", in.Command, in.Namespace, in.Pod)
	}
	if in.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, in.Timeout,
			fmt.Errorf("no result within %s (the command may still be running in the container): %w", in.Timeout, context.DeadlineExceeded))
		defer cancel()
	}
	if cfg == nil {
		return Result{}, fmt.Errorf("exec %v in pod %s/%s: nil rest.Config", in.Command, in.Namespace, in.Pod)
	}
	u, err := execURL(c, in)
	if err != nil {
		return Result{}, err
	}
	executor, err := newExecutor(cfg, u)
	if err != nil {
		return Result{}, newError(in, Result{}, fmt.Errorf("creating executor: %w", err))
	}
	var stdout, stderr bytes.Buffer
	err = executor.StreamWithContext(ctx, remotecommand.StreamOptions{
		Stdin:  in.Stdin,
		Stdout: &stdout,
		Stderr: &stderr,
	})
	res := Result{Stdout: stdout.String(), Stderr: stderr.String()}
	if err != nil {
		if cause := context.Cause(ctx); cause != nil && cause != err {
			// The stream reports only "context deadline exceeded"; the
			// cause says whose deadline and how long it was.
			if errors.Is(err, ctx.Err()) && err.Error() == ctx.Err().Error() {
				err = cause
			} else {
				err = fmt.Errorf("%w (stream: %w)", cause, err)
			}
		}
		return res, newError(in, res, err)
	}
	return res, nil
}

func validate(in ExecInput) error {
	switch {
	case in.Namespace == "" || in.Pod == "":
		return fmt.Errorf("exec %v: namespace and pod are required (got %q/%q)", in.Command, in.Namespace, in.Pod)
	case len(in.Command) == 0:
		return fmt.Errorf("exec in pod %s/%s: empty command", in.Namespace, in.Pod)
	case in.Timeout < 0:
		return fmt.Errorf("exec %q in pod %s/%s: negative timeout %s", in.Command, in.Namespace, in.Pod, in.Timeout)
	}
	return nil
}

func execURL(c kubernetes.Interface, in ExecInput) (*url.URL, error) {
	rc := c.CoreV1().RESTClient()
	// The fake clientset hands out a typed nil, which would panic below.
	if r, ok := rc.(*rest.RESTClient); rc == nil || (ok && r == nil) {
		return nil, fmt.Errorf("exec %v in pod %s/%s: clientset has no REST client (fake clientsets cannot exec)", in.Command, in.Namespace, in.Pod)
	}
	req := rc.Post().
		Resource("pods").
		Namespace(in.Namespace).
		Name(in.Pod).
		SubResource("exec").
		VersionedParams(&corev1.PodExecOptions{
			Container: in.Container,
			Command:   in.Command,
			Stdin:     in.Stdin != nil,
			Stdout:    true,
			Stderr:    true,
		}, scheme.ParameterCodec)
	return req.URL(), nil
}

// newExecutor mirrors kubectl exec: the WebSocket executor must use GET
// (RFC 6455), SPDY uses POST, and only an upgrade failure (not a command
// failure) triggers the fallback. Since client-go v0.37 the upgrade failure
// is k8s.io/streaming's type: apimachinery's test never matches it.
func newExecutor(cfg *rest.Config, u *url.URL) (remotecommand.Executor, error) {
	spdy, err := remotecommand.NewSPDYExecutor(cfg, "POST", u)
	if err != nil {
		return nil, err
	}
	ws, err := remotecommand.NewWebSocketExecutor(cfg, "GET", u.String())
	if err != nil {
		return nil, err
	}
	return remotecommand.NewFallbackExecutor(ws, spdy, func(err error) bool {
		return httpstream.IsUpgradeFailure(err) || httpstream.IsHTTPSProxyError(err)
	})
}

// asExitCode reports the exit code carried by err, if the command ran to an exit.
func asExitCode(err error) (int, bool) {
	var ee utilexec.ExitError
	if errors.As(err, &ee) && ee.Exited() {
		return ee.ExitStatus(), true
	}
	return 0, false
}
