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
	return setCordon(ctx, c, node, true, "cordon")
}

// Uncordon marks the node schedulable again; it is a no-op on a node that is
// not cordoned.
func Uncordon(ctx context.Context, c kubernetes.Interface, node string) error {
	return setCordon(ctx, c, node, false, "uncordon")
}

// setCordon is kubectl's cordon/uncordon on a node read fresh, so that the
// patch it computes starts from the node's current spec.
func setCordon(ctx context.Context, c kubernetes.Interface, node string, desired bool, verb string) error {
	n, err := c.CoreV1().Nodes().Get(ctx, node, metav1.GetOptions{})
	if err != nil {
		return fmt.Errorf("%s: getting node %s: %w", verb, node, err)
	}
	h := &drain.Helper{Ctx: ctx, Client: c, Out: io.Discard, ErrOut: io.Discard}
	if err := drain.RunCordonOrUncordon(h, n, desired); err != nil {
		return fmt.Errorf("%s node %s: %w", verb, node, err)
	}
	return nil
}
