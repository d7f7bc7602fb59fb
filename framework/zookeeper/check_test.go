package zookeeper

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func st(mode Mode, epoch, counter int64) ServerState {
	return ServerState{Mode: mode, Zxid: epoch<<32 | counter, NodeCount: 5}
}

func wantErr(t *testing.T, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("passed; want an error with %q", want)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q:\n%v", w, err)
		}
	}
}

func TestOneLeader(t *testing.T) {
	ok := map[string]ServerState{"zk-0": st(Follower, 1, 2), "zk-1": st(Leader, 1, 2), "zk-2": st(Follower, 1, 2)}
	if err := OneLeader(ok); err != nil {
		t.Fatal(err)
	}
	if LeaderOf(ok) != "zk-1" {
		t.Errorf("LeaderOf = %q", LeaderOf(ok))
	}
	if err := OneLeader(map[string]ServerState{"zk-0": st(Leader, 2, 0), "zk-2": st(Follower, 2, 0)}); err != nil {
		t.Errorf("two of three serving is a quorum: %v", err)
	}
	wantErr(t, OneLeader(map[string]ServerState{"zk-0": st(Leader, 1, 0), "zk-1": st(Leader, 2, 0), "zk-2": st(Follower, 2, 0)}),
		"2 leaders (zk-0, zk-1): the ensemble is split", "zk-0: leader zxid=0x100000000 (epoch 1)")
	wantErr(t, OneLeader(map[string]ServerState{"zk-0": st(Leader, 1, 0), "zk-1": {Mode: NotServing}, "zk-2": st(Standalone, 0, 0)}),
		"member(s) zk-1, zk-2 neither leader nor follower", "zk-1: not serving", "zk-2: standalone")
	wantErr(t, OneLeader(map[string]ServerState{"zk-0": st(Follower, 1, 0), "zk-1": st(Follower, 1, 0)}), "no leader among 2 followers")
	wantErr(t, OneLeader(nil), "no member states")
}

func TestReelected(t *testing.T) {
	before := map[string]ServerState{"zk-0": st(Follower, 1, 3), "zk-1": st(Leader, 1, 3), "zk-2": st(Follower, 1, 3)}
	after := map[string]ServerState{"zk-0": st(Follower, 2, 0), "zk-2": st(Leader, 2, 0)}
	if err := Reelected(before, after, "zk-1"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, Reelected(before, map[string]ServerState{"zk-0": st(Follower, 1, 3), "zk-1": st(Leader, 1, 3)}, "zk-1"),
		"zk-1 is still the leader although it was removed")
	wantErr(t, Reelected(before, map[string]ServerState{"zk-0": st(Follower, 1, 3), "zk-2": st(Leader, 1, 4)}, "zk-1"),
		"leader zk-2 is in epoch 1, not newer than 1 before: no election happened", "before:")
	wantErr(t, Reelected(before, map[string]ServerState{"zk-0": st(Follower, 2, 0), "zk-2": {Mode: NotServing}}, ""),
		"no leader elected again", "zk-2 neither leader nor follower")
}

func TestIDsMatchOrdinals(t *testing.T) {
	if err := IDsMatchOrdinals(map[string]int{"zk-0": 1, "zk-1": 2, "zk-2": 3}); err != nil {
		t.Fatal(err)
	}
	wantErr(t, IDsMatchOrdinals(map[string]int{"zk-0": 1, "zk-1": 3, "zk-2": 3}),
		"zk-1 runs as server 3, want 2 (ordinal + 1)", "server id 3 is used by zk-1 and zk-2")
	wantErr(t, IDsMatchOrdinals(map[string]int{"zk-0": 0}), "zk-0 runs as server 0, want 1")
	wantErr(t, IDsMatchOrdinals(map[string]int{"zookeeper": 1}), `pod name "zookeeper" is not <set>-<ordinal>`)
}

func TestMyID(t *testing.T) {
	for pod, want := range map[string]int{"zk-0": 1, "zk-2": 3, "my-zk-10": 11} {
		if got, err := MyID(pod); err != nil || got != want {
			t.Errorf("MyID(%q) = %d, %v; want %d", pod, got, err, want)
		}
	}
	for _, bad := range []string{"zk", "zk-", "-1", "zk-01", "zk--1", "zk-x", "zk-+1"} {
		if _, err := MyID(bad); err == nil {
			t.Errorf("MyID(%q) accepted", bad)
		}
	}
}

func TestDistinctNodes(t *testing.T) {
	if err := DistinctNodes(map[string]string{"zk-0": "w1", "zk-1": "w2", "zk-2": "w3"}); err != nil {
		t.Fatal(err)
	}
	wantErr(t, DistinctNodes(map[string]string{"zk-0": "w1", "zk-1": "w1", "zk-2": ""}), "zk-0 and zk-1 share node w1", "zk-2 not scheduled")
}

// SameZnode is the data-survival verdict: a data loss must fail it.
func TestSameZnodeFailsOnDataLoss(t *testing.T) {
	written := Znode{Path: "/hello", Data: "world", Czxid: 0x100000002, Mzxid: 0x100000002, Ctime: time.Unix(1700000000, 0).UTC(), Member: "zk-0"}
	same := written
	same.Member = "zk-2"
	if err := SameZnode(written, same, nil); err != nil {
		t.Fatalf("the same znode read elsewhere: %v", err)
	}
	lost := Znode{Member: "zk-2"}
	wantErr(t, SameZnode(written, lost, fmt.Errorf("zk-2: read /hello: %w", ErrNoNode)),
		"data loss: /hello is gone when read from zk-2", `/hello="world" (czxid 0x100000002`, "via zk-0")
	changed := same
	changed.Data = "other"
	wantErr(t, SameZnode(written, changed, nil), `/hello holds "other" when read from zk-2, but "world" was written`)
	recreated := same
	recreated.Czxid = 0x300000001
	wantErr(t, SameZnode(written, recreated, nil), "/hello was created again: read from zk-2 it has czxid 0x300000001, the write had 0x100000002")
	wantErr(t, SameZnode(written, lost, errors.New("zk-2: read /hello: no session")), "could not read /hello back", "no session")
}
