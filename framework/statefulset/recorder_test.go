package statefulset

import (
	"context"
	"testing"

	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/stsconform/stsconform/framework/timeline"
)

// timelineOf starts a recording of the set web on a fake API.
func timelineOf(t *testing.T, c *fake.Clientset) (*timeline.Recorder, error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	rec, err := timeline.Start(ctx, c, "ns", "web", labels.SelectorFromSet(labels.Set{"app": "web"}))
	t.Cleanup(func() {
		cancel()
		if rec != nil {
			rec.Stop()
		}
	})
	return rec, err
}
