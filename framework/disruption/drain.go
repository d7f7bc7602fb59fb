package disruption

import (
	"context"
	"fmt"
	"io"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/kubectl/pkg/drain"
)

// EvictRetryDelay is kubectl drain's own pause after a refused eviction.
// The drain library sleeps it without watching its timeout, so a blocked
// drain overruns its timeout by up to this much.
const EvictRetryDelay = 5 * time.Second

// DrainInput says which node to drain and how long to try.
type DrainInput struct {
	Client kubernetes.Interface
	Node   string
	// Timeout bounds the evictions and the wait for the pods to be gone;
	// 0 leaves only ctx to bound them.
	Timeout time.Duration
	// Force also removes pods no controller will recreate (such as a dns
	// probe pod); without it their presence fails the drain before any
	// eviction is attempted.
	Force bool
	// EvictRetryDelay is the pause after a refused (429) eviction before the
	// next attempt; 0 means kubectl's 5s. The drain library sleeps it without
	// watching ctx, so a drain can overrun Timeout by up to this much.
	EvictRetryDelay time.Duration
	// Out and ErrOut receive the drain library's progress and warnings; nil
	// discards them.
	Out, ErrOut io.Writer
}

// Drain cordons the node and evicts every pod on it except DaemonSet pods,
// waiting until they are gone, as `kubectl drain --ignore-daemonsets
// --delete-emptydir-data` does. Pods' own grace periods are respected.
//
// A drain that does not complete returns a *DrainError with the last
// refusal of each pod that stayed; DrainBlockedByPDB tells a budget's
// refusal from any other failure. The node stays cordoned whatever the
// outcome; call Uncordon to undo it.
func Drain(ctx context.Context, in DrainInput) error {
	if in.Client == nil || in.Node == "" {
		return fmt.Errorf("drain: client and node are required (node %q)", in.Node)
	}
	node, err := in.Client.CoreV1().Nodes().Get(ctx, in.Node, metav1.GetOptions{})
	if err != nil {
		return fmt.Errorf("drain: getting node %s: %w", in.Node, err)
	}
	refusals := newRefusalLog()
	h := &drain.Helper{
		Ctx:                  ctx,
		Client:               recordingClient{in.Client, refusals},
		Force:                in.Force,
		GracePeriodSeconds:   -1,
		IgnoreAllDaemonSets:  true,
		DeleteEmptyDirData:   true,
		Timeout:              in.Timeout,
		EvictErrorRetryDelay: in.EvictRetryDelay,
		Out:                  orDiscard(in.Out),
		ErrOut:               orDiscard(in.ErrOut),
	}
	if h.EvictErrorRetryDelay == 0 {
		h.EvictErrorRetryDelay = EvictRetryDelay
	}
	if err := drain.RunCordonOrUncordon(h, node, true); err != nil {
		return fmt.Errorf("drain: cordoning node %s: %w", in.Node, err)
	}
	if err := drain.RunNodeDrain(h, in.Node); err != nil {
		// On a timeout the library reports only "global timeout reached";
		// why each pod stayed (a PDB refusal, say) is in the answers the
		// recording client kept.
		return &DrainError{Node: in.Node, Timeout: in.Timeout, Err: err, Refusals: refusals.refusals()}
	}
	return nil
}

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}
