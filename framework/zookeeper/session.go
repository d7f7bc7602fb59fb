package zookeeper

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-zookeeper/zk"
)

// ZooKeeper's answers for a znode that does not exist, and for one that
// does when it is created.
var (
	ErrNoNode     = zk.ErrNoNode
	ErrNodeExists = zk.ErrNodeExists
)

// session is one ZooKeeper client session. The Go client's calls take no
// context; closing the connection fails whatever is pending, which is how a
// context ends them.
type session struct {
	conn *zk.Conn
}

type quietLogger struct{}

func (quietLogger) Printf(string, ...any) {}

// dial connects to the server at addr and waits until it grants a session.
func dial(ctx context.Context, addr string, sessionTimeout time.Duration) (*session, error) {
	states := make(chan zk.State, 16)
	conn, _, err := zk.Connect([]string{addr}, sessionTimeout, zk.WithLogger(quietLogger{}), zk.WithLogInfo(false),
		zk.WithEventCallback(func(e zk.Event) {
			if e.Type == zk.EventSession {
				select {
				case states <- e.State:
				default:
				}
			}
		}))
	if err != nil {
		return nil, err
	}
	last := zk.StateDisconnected
	for {
		select {
		case s := <-states:
			last = s
			if s == zk.StateHasSession {
				return &session{conn: conn}, nil
			}
		case <-ctx.Done():
			conn.Close()
			return nil, fmt.Errorf("no session with %s (last state %s): %w", addr, last, ctx.Err())
		}
	}
}

func (s *session) close() { s.conn.Close() }

// do runs f, abandoning it (by closing the session) when ctx ends first.
func (s *session) do(ctx context.Context, f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		s.conn.Close()
		<-done
		return ctx.Err()
	}
}

// create creates a persistent znode and returns it as stored.
func (s *session) create(ctx context.Context, path string, data []byte) (Znode, error) {
	var z Znode
	err := s.do(ctx, func() error {
		if _, err := s.conn.Create(path, data, 0, zk.WorldACL(zk.PermAll)); err != nil {
			return err
		}
		var err error
		z, err = s.get(path)
		return err
	})
	return z, err
}

// read syncs the server with the leader, then reads: without the sync a
// follower may answer from before a write another member acknowledged.
func (s *session) read(ctx context.Context, path string) (Znode, error) {
	var z Znode
	err := s.do(ctx, func() error {
		if _, err := s.conn.Sync(path); err != nil && !errors.Is(err, zk.ErrNoNode) {
			return fmt.Errorf("sync: %w", err)
		}
		var err error
		z, err = s.get(path)
		return err
	})
	return z, err
}

// get reads a znode as stored, with its creation and modification ids.
func (s *session) get(path string) (Znode, error) {
	data, st, err := s.conn.Get(path)
	if err != nil {
		return Znode{}, err
	}
	return Znode{Path: path, Data: string(data), Czxid: st.Czxid, Mzxid: st.Mzxid, Ctime: time.UnixMilli(st.Ctime).UTC()}, nil
}
