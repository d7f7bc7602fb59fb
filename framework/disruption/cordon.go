package disruption

import (
	"context"
	"fmt"
	"io"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/kubectl/pkg/drain"
)

// Cordon marks the node unschedulable without evicting anything, as
// `kubectl cordon` does; it is a no-op on a cordoned node. Uncordon undoes it.
func Cordon(ctx context.Context, c kubernetes.Interface, node string) error {
	n, err := c.CoreV1().Nodes().Get(ctx, node, metav1.GetOptions{})
	if err != nil {
		return fmt.Errorf("cordon: getting node %s: %w", node, err)
	}
	h := &drain.Helper{Ctx: ctx, Client: c, Out: io.Discard, ErrOut: io.Discard}
	if err := drain.RunCordonOrUncordon(h, n, true); err != nil {
		return fmt.Errorf("cordon node %s: %w", node, err)
	}
	return nil
}
