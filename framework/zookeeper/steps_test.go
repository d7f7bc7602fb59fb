package zookeeper

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

// server is a member answering from scripts: its states one call at a
// time (the last repeats), and a store of znodes.
type server struct {
	name   string
	mu     sync.Mutex
	states []ServerState
	err    error // every call fails with it when set
	id     int
	znodes map[string]Znode
	// lostAnswer: the first create is stored but answered with an error.
	lostAnswer bool
}

func (s *server) Name() string { return s.name }

func (s *server) State(context.Context) (ServerState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return ServerState{}, s.err
	}
	st := s.states[0]
	if len(s.states) > 1 {
		s.states = s.states[1:]
	}
	return st, nil
}

func (s *server) Conf(context.Context) (Conf, error) {
	if s.err != nil {
		return Conf{}, s.err
	}
	return Conf{ServerID: s.id}, nil
}

func (s *server) Create(_ context.Context, path, data string) (Znode, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return Znode{}, s.err
	}
	if _, ok := s.znodes[path]; ok {
		return Znode{}, ErrNodeExists
	}
	z := Znode{Path: path, Data: data, Czxid: 0x100000002, Member: s.name}
	s.znodes[path] = z
	if s.lostAnswer {
		s.lostAnswer = false
		return Znode{}, errors.New("connection closed")
	}
	return z, nil
}

func (s *server) Read(_ context.Context, path string) (Znode, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return Znode{}, s.err
	}
	z, ok := s.znodes[path]
	if !ok {
		return Znode{Member: s.name}, ErrNoNode
	}
	z.Member = s.name
	return z, nil
}

var quick = Wait{Timeout: 50 * time.Millisecond, Poll: time.Millisecond}

func member(name string, states ...ServerState) *server {
	return &server{name: name, states: states, znodes: map[string]Znode{}}
}

func TestWaitQuorum(t *testing.T) {
	electing := ServerState{Mode: NotServing}
	leader, follower := ServerState{Mode: Leader, Zxid: 0x200000000}, ServerState{Mode: Follower, Zxid: 0x200000000}
	ms := []Server{member("zk-0", electing, leader), member("zk-1", follower), member("zk-2", follower)}
	states, err := WaitQuorum(context.Background(), ms, quick)
	if err != nil || LeaderOf(states) != "zk-0" {
		t.Fatalf("a quorum after an election = %v, %v", states, err)
	}
	split := []Server{member("zk-0", leader), member("zk-1", leader), member("zk-2", follower)}
	_, err = WaitQuorum(context.Background(), split, quick)
	if err == nil || !strings.HasPrefix(err.Error(), "members [zk-0 zk-1 zk-2] serving with one leader: not within 50ms; last: 2 leaders (zk-0, zk-1): the ensemble is split") {
		t.Errorf("a split ensemble = %v", err)
	}
	before := map[string]ServerState{"zk-0": leader}
	same := []Server{member("zk-1", leader), member("zk-2", follower)}
	if _, err := WaitReelected(context.Background(), same, before, "zk-0", quick); err == nil || !strings.Contains(err.Error(), "not newer than 2 before: no election happened") {
		t.Errorf("no election = %v", err)
	}
}

func TestWriteAndReadBack(t *testing.T) {
	zk0 := member("zk-0")
	zk0.lostAnswer = true
	written, err := Write(context.Background(), zk0, "/hello", "world", quick)
	if err != nil || written.Data != "world" {
		t.Fatalf("a write whose first answer was lost = %v, %v", written, err)
	}
	if _, err := Write(context.Background(), zk0, "/hello", "other", quick); err == nil || !strings.HasPrefix(err.Error(), `creating /hello through zk-0: /hello exists with "world" before this spec wrote "other"`) {
		t.Errorf("a znode already there with other data = %v", err)
	}
	if err := WaitReadBack(context.Background(), zk0, written, quick); err != nil {
		t.Errorf("the znode read back = %v", err)
	}
	start := time.Now()
	lost := member("zk-2")
	if err := WaitReadBack(context.Background(), lost, written, Wait{Timeout: time.Minute, Poll: time.Millisecond}); err == nil || !strings.HasPrefix(err.Error(), "read back from zk-2: data loss: /hello is gone when read from zk-2") {
		t.Errorf("a lost znode = %v", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Error("a verdict did not end the wait at once")
	}
	away := member("zk-1")
	away.err = errors.New("no session")
	if err := WaitReadBack(context.Background(), away, written, quick); err == nil || !strings.HasPrefix(err.Error(), "reading /hello back from zk-1: not within 50ms; last: could not read /hello back") {
		t.Errorf("a member away = %v", err)
	}
}

func TestServerIDs(t *testing.T) {
	a, b := member("zk-0"), member("zk-1")
	a.id, b.id = 1, 2
	ids, err := ServerIDs(context.Background(), []Server{a, b}, quick)
	if err != nil || ids["zk-0"] != 1 || ids["zk-1"] != 2 {
		t.Errorf("ServerIDs = %v, %v", ids, err)
	}
	b.err = errors.New("connection refused")
	if _, err := ServerIDs(context.Background(), []Server{a, b}, quick); err == nil || !strings.HasPrefix(err.Error(), "conf of zk-1: not within 50ms; last: connection refused") {
		t.Errorf("a member that does not answer = %v", err)
	}
}

func TestKeptMyID(t *testing.T) {
	// The fake clientset answers every log with "fake logs".
	c := fake.NewClientset(&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "zk-1"}})
	err := KeptMyID(context.Background(), c, "ns", "zk-1")
	if err == nil || err.Error() != `zk-1 started on an empty volume: its claim's data did not come back (its log lacks "zk-start: myid 2 found on the data volume")` {
		t.Errorf("KeptMyID = %v", err)
	}
}

func TestOthersAndDescribeStates(t *testing.T) {
	if got := Others([]string{"zk-0", "zk-1", "zk-2"}, "zk-1"); strings.Join(got, ",") != "zk-0,zk-2" {
		t.Errorf("Others = %v", got)
	}
	got := DescribeStates(map[string]ServerState{"zk-1": {Mode: Follower, Zxid: 0x100000001}, "zk-0": {Mode: Leader, Zxid: 0x100000001}})
	if !strings.HasPrefix(got, "zk-0: leader zxid=0x100000001 (epoch 1)") || !strings.Contains(got, "; zk-1: follower") {
		t.Errorf("DescribeStates = %q", got)
	}
}
