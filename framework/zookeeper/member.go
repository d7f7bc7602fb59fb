package zookeeper

import (
	"context"
	"fmt"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// ClientPort is where members serve clients and four-letter words.
const ClientPort = 2181

// sessionTimeout is what the client asks for; the server clamps it to
// [2, 20] ticks.
const sessionTimeout = 10 * time.Second

// Znode is a znode as written or read, with the member that wrote or
// served it.
type Znode struct {
	Path string `json:"path"`
	Data string `json:"data"`
	// Czxid identifies the creation: a znode deleted and created again
	// with the same data has another one.
	Czxid  int64     `json:"czxid"`
	Mzxid  int64     `json:"mzxid"`
	Ctime  time.Time `json:"ctime"`
	Member string    `json:"member"`
}

func (z Znode) String() string {
	return fmt.Sprintf("%s=%q (czxid 0x%x, created %s, via %s)", z.Path, z.Data, z.Czxid, z.Ctime.Format(time.RFC3339), z.Member)
}

// Member is one pod of the ensemble, reached through a port-forward.
type Member struct {
	Config    *rest.Config
	Client    kubernetes.Interface
	Namespace string
	Pod       string
	// Timeout bounds one call: port-forward, session and request; 0 means
	// 10s. A member that is not in a quorum accepts the connection and
	// grants no session, so only this bound ends such a call.
	Timeout time.Duration
}

func (m Member) call(ctx context.Context, what string, f func(ctx context.Context, addr string) error) error {
	t := m.Timeout
	if t == 0 {
		t = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, t)
	defer cancel()
	pf, err := Forward(ctx, m.Config, m.Client, m.Namespace, m.Pod, ClientPort)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", m.Pod, what, err)
	}
	defer pf.Close()
	if err := f(ctx, pf.Addr); err != nil {
		return fmt.Errorf("%s: %s: %w", m.Pod, what, err)
	}
	return nil
}

// FourLetterWord sends word (srvr, mntr, conf, ruok, ...) and returns the
// answer.
func (m Member) FourLetterWord(ctx context.Context, word string) (string, error) {
	var out string
	err := m.call(ctx, word, func(ctx context.Context, addr string) error {
		var err error
		out, err = FourLetterWord(ctx, addr, word)
		return err
	})
	return out, err
}

// State asks srvr for the member's role and last zxid.
func (m Member) State(ctx context.Context) (ServerState, error) {
	out, err := m.FourLetterWord(ctx, "srvr")
	if err != nil {
		return ServerState{}, err
	}
	s, err := ParseSrvr(out)
	if err != nil {
		return s, fmt.Errorf("%s: %w", m.Pod, err)
	}
	return s, nil
}

// Mntr asks mntr for the member's metrics (zk_server_state, ...).
func (m Member) Mntr(ctx context.Context) (map[string]string, error) {
	out, err := m.FourLetterWord(ctx, "mntr")
	if err != nil {
		return nil, err
	}
	v, err := ParseMntr(out)
	if err != nil {
		return v, fmt.Errorf("%s: %w", m.Pod, err)
	}
	return v, nil
}

// Conf asks conf for the server id the member runs as (its myid).
func (m Member) Conf(ctx context.Context) (Conf, error) {
	out, err := m.FourLetterWord(ctx, "conf")
	if err != nil {
		return Conf{}, err
	}
	c, err := ParseConf(out)
	if err != nil {
		return c, fmt.Errorf("%s: %w", m.Pod, err)
	}
	return c, nil
}

// Create writes a persistent znode through this member; it succeeds only
// once a quorum has accepted the write.
func (m Member) Create(ctx context.Context, path, data string) (Znode, error) {
	var z Znode
	err := m.call(ctx, "create "+path, func(ctx context.Context, addr string) error {
		s, err := dial(ctx, addr, sessionTimeout)
		if err != nil {
			return err
		}
		defer s.close()
		z, err = s.create(ctx, path, []byte(data))
		return err
	})
	z.Member = m.Pod
	return z, err
}

// Read reads a znode as this member serves it, after syncing the member
// with the leader. A missing znode is an error wrapping ErrNoNode.
func (m Member) Read(ctx context.Context, path string) (Znode, error) {
	var z Znode
	err := m.call(ctx, "read "+path, func(ctx context.Context, addr string) error {
		s, err := dial(ctx, addr, sessionTimeout)
		if err != nil {
			return err
		}
		defer s.close()
		z, err = s.read(ctx, path)
		return err
	})
	z.Member = m.Pod
	return z, err
}

// Name is the member's pod.
func (m Member) Name() string { return m.Pod }

// Server is what the steps (steps.go) ask of one member; Member asks it
// over a port-forward.
type Server interface {
	Name() string
	State(ctx context.Context) (ServerState, error)
	Conf(ctx context.Context) (Conf, error)
	Create(ctx context.Context, path, data string) (Znode, error)
	Read(ctx context.Context, path string) (Znode, error)
}

// States asks each member for its state. It fails on the first member that
// does not answer, naming it: callers wait for all of them to answer.
func States(ctx context.Context, members []Server) (map[string]ServerState, error) {
	out := make(map[string]ServerState, len(members))
	for _, m := range members {
		s, err := m.State(ctx)
		if err != nil {
			return out, err
		}
		out[m.Name()] = s
	}
	return out, nil
}
