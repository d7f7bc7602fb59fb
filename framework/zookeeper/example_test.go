package zookeeper_test

import (
	"fmt"
	"time"

	"github.com/stsconform/stsconform/framework/zookeeper"
)

// What the data-survival check says when the ensemble came back without the
// znode it was given (its claims were lost).
func ExampleSameZnode() {
	written := zookeeper.Znode{Path: "/hello", Data: "world", Czxid: 0x100000002, Ctime: time.Date(2026, 11, 25, 19, 11, 2, 0, time.UTC), Member: "zk-0"}
	lost := zookeeper.Znode{Member: "zk-2"}
	fmt.Println(zookeeper.SameZnode(written, lost, fmt.Errorf("zk-2: read /hello: %w", zookeeper.ErrNoNode)))
	// Output:
	// data loss: /hello is gone when read from zk-2; it was written as /hello="world" (czxid 0x100000002, created 2026-11-25T19:11:02Z, via zk-0)
}

// What the quorum check says about a split ensemble.
func ExampleOneLeader() {
	fmt.Println(zookeeper.OneLeader(map[string]zookeeper.ServerState{
		"zk-0": {Mode: zookeeper.Leader, Zxid: 0x100000003},
		"zk-1": {Mode: zookeeper.Leader, Zxid: 0x200000000},
		"zk-2": {Mode: zookeeper.Follower, Zxid: 0x200000000},
	}))
	// Output:
	// 2 leaders (zk-0, zk-1): the ensemble is split
	//   zk-0: leader zxid=0x100000003 (epoch 1) znodes=0
	//   zk-1: leader zxid=0x200000000 (epoch 2) znodes=0
	//   zk-2: follower zxid=0x200000000 (epoch 2) znodes=0
}

// What the identity check says when two members run with one id.
func ExampleIDsMatchOrdinals() {
	fmt.Println(zookeeper.IDsMatchOrdinals(map[string]int{"zk-0": 1, "zk-1": 3, "zk-2": 3}))
	// Output:
	// server ids do not follow the ordinals:
	//   server id 3 is used by zk-1 and zk-2
	//   zk-1 runs as server 3, want 2 (ordinal + 1)
}

// What the re-election check says when the leader did not change.
func ExampleReelected() {
	before := map[string]zookeeper.ServerState{"zk-0": {Mode: zookeeper.Follower, Zxid: 0x100000004}, "zk-1": {Mode: zookeeper.Leader, Zxid: 0x100000004}}
	after := map[string]zookeeper.ServerState{"zk-0": {Mode: zookeeper.Follower, Zxid: 0x100000004}, "zk-2": {Mode: zookeeper.Leader, Zxid: 0x100000004}}
	fmt.Println(zookeeper.Reelected(before, after, "zk-1"))
	// Output:
	// leader zk-2 is in epoch 1, not newer than 1 before: no election happened
	//   zk-0: follower zxid=0x100000004 (epoch 1) znodes=0
	//   zk-2: leader zxid=0x100000004 (epoch 1) znodes=0
	// before:
	//   zk-0: follower zxid=0x100000004 (epoch 1) znodes=0
	//   zk-1: leader zxid=0x100000004 (epoch 1) znodes=0
}

// What the placement check says when anti-affinity did not hold.
func ExampleDistinctNodes() {
	fmt.Println(zookeeper.DistinctNodes(map[string]string{"zk-0": "kind-worker", "zk-1": "kind-worker", "zk-2": "kind-worker2"}))
	// Output:
	// members are not on distinct nodes: zk-0 and zk-1 share node kind-worker
}
