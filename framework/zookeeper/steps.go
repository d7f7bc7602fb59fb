package zookeeper

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/stsconform/stsconform/framework/poll"
)

// The steps a spec takes on an ensemble: each asks the members until they
// answer as the step needs (a member being elected, restarted or moved
// answers nothing for a while) or its Wait runs out, and judges with the
// pure checks of check.go.

// Wait bounds one step: config Timeouts.Quorum (an election, or a
// follower noticing a lost leader) and the polling interval.
type Wait struct {
	Timeout, Poll time.Duration
}

// WaitStates asks the members for their states until check accepts them,
// and returns the states it accepted. A failure opens with what.
func WaitStates(ctx context.Context, members []Server, check func(map[string]ServerState) error, what string, w Wait) (map[string]ServerState, error) {
	var states map[string]ServerState
	err := poll.Until(ctx, w.Timeout, w.Poll, func(ctx context.Context) error {
		s, err := States(ctx, members)
		if err != nil {
			return err
		}
		states = s
		return check(s)
	})
	if err != nil {
		return states, fmt.Errorf("%s: %w", what, err)
	}
	return states, nil
}

// WaitQuorum waits until the members all answer srvr and serve in one
// quorum (OneLeader).
func WaitQuorum(ctx context.Context, members []Server, w Wait) (map[string]ServerState, error) {
	return WaitStates(ctx, members, OneLeader, fmt.Sprintf("members %v serving with one leader", names(members)), w)
}

// WaitReelected waits until the members serve with a leader elected after
// before, in a newer epoch, that is not gone (Reelected).
func WaitReelected(ctx context.Context, members []Server, before map[string]ServerState, gone string, w Wait) (map[string]ServerState, error) {
	reelected := func(s map[string]ServerState) error { return Reelected(before, s, gone) }
	return WaitStates(ctx, members, reelected, fmt.Sprintf("a leader elected again among %v", names(members)), w)
}

// Write creates a znode through a member, retrying while the member cannot
// be reached or has no quorum. A retry that finds the znode already there
// takes it if it holds this write's data: the earlier attempt was accepted
// but its answer was lost; other data ends the step at once.
func Write(ctx context.Context, m Server, path, data string, w Wait) (Znode, error) {
	var written Znode
	err := poll.Until(ctx, w.Timeout, w.Poll, func(ctx context.Context) error {
		z, err := m.Create(ctx, path, data)
		if errors.Is(err, ErrNodeExists) {
			z, err = m.Read(ctx, path)
			if err == nil && z.Data != data {
				return poll.Stop(fmt.Errorf("%s exists with %q before this spec wrote %q", path, z.Data, data))
			}
		}
		if err != nil {
			return err
		}
		written = z
		return nil
	})
	if err != nil {
		return written, fmt.Errorf("creating %s through %s: %w", path, m.Name(), err)
	}
	return written, nil
}

// WaitReadBack reads the znode from a member and judges it against the
// write with SameZnode. Failing to reach the member is retried; a verdict
// (the znode gone, changed or created again) ends the step at once.
func WaitReadBack(ctx context.Context, m Server, written Znode, w Wait) error {
	err := poll.Until(ctx, w.Timeout, w.Poll, func(ctx context.Context) error {
		got, err := m.Read(ctx, written.Path)
		verdict := SameZnode(written, got, err)
		if verdict != nil && (err == nil || errors.Is(err, ErrNoNode)) {
			return poll.Stop(fmt.Errorf("read back from %s: %w", m.Name(), verdict))
		}
		return verdict
	})
	var timeout *poll.TimeoutError
	if errors.As(err, &timeout) {
		return fmt.Errorf("reading %s back from %s: %w", written.Path, m.Name(), err)
	}
	return err
}

// ServerIDs asks each member which server id it runs as (conf), waiting
// for each to answer.
func ServerIDs(ctx context.Context, members []Server, w Wait) (map[string]int, error) {
	ids := map[string]int{}
	for _, m := range members {
		err := poll.Until(ctx, w.Timeout, w.Poll, func(ctx context.Context) error {
			c, err := m.Conf(ctx)
			ids[m.Name()] = c.ServerID
			return err
		})
		if err != nil {
			return ids, fmt.Errorf("conf of %s: %w", m.Name(), err)
		}
	}
	return ids, nil
}

// KeptMyID checks the start script's own report in the member's log: its
// myid came from its claim, not from a first start on an empty volume.
func KeptMyID(ctx context.Context, c kubernetes.Interface, namespace, pod string) error {
	id, err := MyID(pod)
	if err != nil {
		return err
	}
	b, err := c.CoreV1().Pods(namespace).GetLogs(pod, &corev1.PodLogOptions{Container: "zookeeper"}).DoRaw(ctx)
	if err != nil {
		return fmt.Errorf("reading the log of %s/%s: %w", namespace, pod, err)
	}
	want := fmt.Sprintf("zk-start: myid %d found on the data volume", id)
	if !strings.Contains(string(b), want) {
		return fmt.Errorf("%s started on an empty volume: its claim's data did not come back (its log lacks %q)", pod, want)
	}
	return nil
}

// Others are the pods without the gone ones, in order.
func Others(pods []string, gone ...string) []string {
	return slices.DeleteFunc(slices.Clone(pods), func(p string) bool { return slices.Contains(gone, p) })
}

// DescribeStates is the members' states in one line, by pod.
func DescribeStates(states map[string]ServerState) string {
	parts := make([]string, 0, len(states))
	for _, k := range sortedKeys(states) {
		parts = append(parts, k+": "+states[k].String())
	}
	return strings.Join(parts, "; ")
}

func names(members []Server) []string {
	out := make([]string, len(members))
	for i, m := range members {
		out[i] = m.Name()
	}
	return out
}
