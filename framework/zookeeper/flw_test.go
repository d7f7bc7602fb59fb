package zookeeper

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"
)

// Answers recorded from the suite's image (ZooKeeper 3.8.0, Debian).
const (
	srvrLeader = `Zookeeper version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC
Latency min/avg/max: 0/0.0/0
Received: 2
Sent: 1
Connections: 1
Outstanding: 0
Zxid: 0x100000002
Mode: leader
Node count: 6
Proposal sizes last/min/max: 48/48/48
`
	srvrFollower = `Zookeeper version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC
Latency min/avg/max: 0/0.0/0
Received: 1
Sent: 0
Connections: 1
Outstanding: 0
Zxid: 0x0
Mode: follower
Node count: 5
`
	notServingAnswer = "This ZooKeeper instance is not currently serving requests\n"
	mntrFollower     = "zk_version\t3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC\nzk_server_state\tfollower\nzk_znode_count\t5\nzk_open_file_descriptor_count\t19\n"
	confMember       = "clientPort=2181\nsecureClientPort=-1\ndataDir=/var/lib/zookeeper/data/version-2\ndataDirSize=457\ndataLogDir=/var/lib/zookeeper/data/version-2\ndataLogSize=457\ntickTime=2000\nmaxClientCnxns=60\nminSessionTimeout=4000\nmaxSessionTimeout=40000\nclientPortListenBacklog=-1\nserverId=2\ninitLimit=10\nsyncLimit=5\nelectionAlg=3\nelectionPort=3888\nquorumPort=2888\npeerType=0\nmembership: \nserver.1=zk-0.zk-headless.ns.svc.cluster.local:2888:3888:participant\n"
)

func TestParseSrvr(t *testing.T) {
	s, err := ParseSrvr(srvrLeader)
	if err != nil {
		t.Fatal(err)
	}
	if s.Mode != Leader || s.Zxid != 0x100000002 || s.Epoch() != 1 || s.NodeCount != 6 || s.Version != "3.8.0-${mvngit.commit.id}" {
		t.Errorf("leader: %+v", s)
	}
	if got := s.String(); got != "leader zxid=0x100000002 (epoch 1) znodes=6" {
		t.Errorf("String() = %q", got)
	}
	if s, err := ParseSrvr(srvrFollower); err != nil || s.Mode != Follower || s.Epoch() != 0 {
		t.Errorf("follower: %+v, %v", s, err)
	}
	if s, err := ParseSrvr(notServingAnswer); err != nil || s.Mode != NotServing {
		t.Errorf("not serving: %+v, %v", s, err)
	}
	for _, bad := range []string{"", "imok", "Mode: leader\n", "Zxid: 0xZZ\nMode: leader\n", "Zxid: 0x1\nMode: leader\nNode count: many\n"} {
		if _, err := ParseSrvr(bad); err == nil {
			t.Errorf("ParseSrvr(%q) accepted", bad)
		}
	}
}

func TestParseMntrAndConf(t *testing.T) {
	m, err := ParseMntr(mntrFollower)
	if err != nil || m["zk_server_state"] != "follower" || m["zk_znode_count"] != "5" {
		t.Errorf("mntr: %v, %v", m, err)
	}
	if m, err := ParseMntr(notServingAnswer); err != nil || m["zk_server_state"] != string(NotServing) {
		t.Errorf("mntr not serving: %v, %v", m, err)
	}
	if _, err := ParseMntr("imok"); err == nil {
		t.Error("mntr without zk_server_state accepted")
	}
	c, err := ParseConf(confMember)
	if err != nil || c.ServerID != 2 || c.DataDir != "/var/lib/zookeeper/data/version-2" || c.Values["peerType"] != "0" {
		t.Errorf("conf: %+v, %v", c, err)
	}
	if _, err := ParseConf("clientPort=2181\ndataDir=/x\n"); err == nil || !strings.Contains(err.Error(), "no serverId") {
		t.Errorf("standalone conf: %v", err)
	}
	if _, err := ParseConf("serverId=two\n"); err == nil {
		t.Error("a non-numeric serverId accepted")
	}
}

// fakeServer answers each connection with answer(word).
func fakeServer(t *testing.T, answer func(word string) (string, bool)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				buf := make([]byte, 4)
				n, _ := c.Read(buf)
				out, closeNow := answer(string(buf[:n]))
				if !closeNow {
					time.Sleep(time.Hour)
				}
				_, _ = c.Write([]byte(out))
				c.Close()
			}()
		}
	}()
	return l.Addr().String()
}

func TestFourLetterWord(t *testing.T) {
	addr := fakeServer(t, func(w string) (string, bool) {
		switch w {
		case "srvr":
			return srvrLeader, true
		case "mntr":
			return "", true
		default:
			return "", false
		}
	})
	ctx := context.Background()
	out, err := FourLetterWord(ctx, addr, "srvr")
	if err != nil || out != srvrLeader {
		t.Fatalf("srvr: %q, %v", out, err)
	}
	if _, err := FourLetterWord(ctx, addr, "mntr"); err == nil || !strings.Contains(err.Error(), "closed without an answer") {
		t.Errorf("empty answer: %v", err)
	}
	tctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := FourLetterWord(tctx, addr, "stat"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a server that never answers: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the context was not honoured: %v", d)
	}
}

func TestDialHonoursTheContext(t *testing.T) {
	// Accepts and never answers the handshake, as a port-forward to a pod
	// that is not serving may.
	addr := fakeServer(t, func(string) (string, bool) { return "", false })
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := dial(ctx, addr, 4*time.Second)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "no session with "+addr) {
		t.Errorf("dial: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the context was not honoured: %v", d)
	}
}
