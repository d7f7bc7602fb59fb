package zookeeper

import (
	"context"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// Mode is a server's role as srvr reports it.
type Mode string

const (
	Leader     Mode = "leader"
	Follower   Mode = "follower"
	Observer   Mode = "observer"
	Standalone Mode = "standalone"
	// NotServing is a server that answers but is not in a quorum (it is
	// electing a leader or syncing with one).
	NotServing Mode = "not serving"
)

// notServing is how a server outside a quorum answers srvr and mntr.
const notServing = "This ZooKeeper instance is not currently serving requests"

// ServerState is what srvr says about one server.
type ServerState struct {
	Version   string
	Mode      Mode
	Zxid      int64
	NodeCount int
}

// Epoch is the leader epoch of the last transaction the server has seen:
// every election of a leader starts a new one.
func (s ServerState) Epoch() int64 { return s.Zxid >> 32 }

func (s ServerState) String() string {
	if s.Mode == NotServing {
		return string(NotServing)
	}
	return fmt.Sprintf("%s zxid=0x%x (epoch %d) znodes=%d", s.Mode, s.Zxid, s.Epoch(), s.NodeCount)
}

// ParseSrvr reads the answer to srvr. A server outside a quorum answers
// with one sentence; that is a state (NotServing), not an error.
func ParseSrvr(out string) (ServerState, error) {
	if strings.Contains(out, notServing) {
		return ServerState{Mode: NotServing}, nil
	}
	var s ServerState
	var haveMode, haveZxid bool
	for _, line := range strings.Split(out, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch k {
		case "Zookeeper version":
			s.Version, _, _ = strings.Cut(v, ",")
		case "Mode":
			s.Mode, haveMode = Mode(v), true
		case "Zxid":
			z, err := strconv.ParseInt(strings.TrimPrefix(v, "0x"), 16, 64)
			if err != nil {
				return s, fmt.Errorf("srvr: Zxid %q is not hexadecimal", v)
			}
			s.Zxid, haveZxid = z, true
		case "Node count":
			n, err := strconv.Atoi(v)
			if err != nil {
				return s, fmt.Errorf("srvr: Node count %q is not a number", v)
			}
			s.NodeCount = n
		}
	}
	if !haveMode || !haveZxid {
		return s, fmt.Errorf("srvr: no Mode and Zxid in %q", clip(out))
	}
	return s, nil
}

// ParseMntr reads the answer to mntr: one tab-separated key and value per
// line (zk_server_state, zk_znode_count, ...).
func ParseMntr(out string) (map[string]string, error) {
	if strings.Contains(out, notServing) {
		return map[string]string{"zk_server_state": string(NotServing)}, nil
	}
	m := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		k, v, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		m[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	if m["zk_server_state"] == "" {
		return m, fmt.Errorf("mntr: no zk_server_state in %q", clip(out))
	}
	return m, nil
}

// Conf is what the conf four-letter word says about a server's setup.
type Conf struct {
	// ServerID is the id the server runs as: the content of its myid.
	ServerID int
	DataDir  string
	Values   map[string]string
}

// ParseConf reads the answer to conf (key=value lines).
func ParseConf(out string) (Conf, error) {
	c := Conf{Values: map[string]string{}}
	for _, line := range strings.Split(out, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if ok {
			c.Values[k] = v
		}
	}
	c.DataDir = c.Values["dataDir"]
	id, ok := c.Values["serverId"]
	if !ok {
		return c, fmt.Errorf("conf: no serverId (a standalone server has none) in %q", clip(out))
	}
	n, err := strconv.Atoi(id)
	if err != nil {
		return c, fmt.Errorf("conf: serverId %q is not a number", id)
	}
	c.ServerID = n
	return c, nil
}

// FourLetterWord sends word to the server at addr and returns everything it
// answers before closing the connection.
func FourLetterWord(ctx context.Context, addr, word string) (string, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return "", fmt.Errorf("%s: %w", word, err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if _, err := io.WriteString(conn, word); err != nil {
		return "", fmt.Errorf("%s: sending: %w", word, err)
	}
	// Through a port-forward the server's close reaches us about a second
	// after its answer unless our side is closed too; the server has read
	// the word by the time it sees the end of the stream.
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
	out, err := io.ReadAll(conn)
	if ctx.Err() != nil {
		return string(out), fmt.Errorf("%s: %w", word, ctx.Err())
	}
	if err != nil {
		return string(out), fmt.Errorf("%s: reading the answer: %w", word, err)
	}
	if len(out) == 0 {
		// A port-forward whose pod does not listen closes without a word.
		return "", fmt.Errorf("%s: the connection closed without an answer (is the server listening?)", word)
	}
	return string(out), nil
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}
