package zookeeperimage

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// startEnv runs StartScript with sh and a fake java that records its
// arguments, as the container would run it.
type startEnv struct {
	t    *testing.T
	dir  string
	data string
}

func newStartEnv(t *testing.T) *startEnv {
	t.Helper()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh on this host")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	fake := "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"" + filepath.Join(dir, "java-args") + "\"\n"
	if err := os.WriteFile(filepath.Join(bin, "java"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "zk-start")
	if err := os.WriteFile(script, []byte(StartScript), 0o644); err != nil {
		t.Fatal(err)
	}
	return &startEnv{t: t, dir: dir, data: filepath.Join(dir, "data")}
}

func (e *startEnv) run(host string, extra ...string) (string, error) {
	cmd := exec.Command("sh", filepath.Join(e.dir, "zk-start"))
	cmd.Env = append([]string{
		"PATH=" + filepath.Join(e.dir, "bin") + ":" + os.Getenv("PATH"),
		"ZK_HOSTNAME=" + host, "ZK_REPLICAS=3", "ZK_SERVICE=zk-hs", "ZK_NAMESPACE=ns1",
		"ZK_DATA_DIR=" + e.data, "ZK_CONF_DIR=" + filepath.Join(e.dir, "conf"),
	}, extra...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (e *startEnv) read(name string) string {
	e.t.Helper()
	b, err := os.ReadFile(filepath.Join(e.dir, name))
	if err != nil {
		e.t.Fatal(err)
	}
	return string(b)
}

func TestStartWritesMyIDOnceAndTheEnsembleConfig(t *testing.T) {
	e := newStartEnv(t)
	out, err := e.run("zk-2")
	if err != nil {
		t.Fatalf("zk-start: %v\n%s", err, out)
	}
	if !strings.Contains(out, "first start, wrote myid 3") {
		t.Errorf("output lacks the first-start line:\n%s", out)
	}
	if got := e.read("data/myid"); got != "3\n" {
		t.Errorf("myid = %q, want 3 (ordinal 2 + 1)", got)
	}
	cfg := e.read("conf/zoo.cfg")
	for _, want := range []string{
		"server.1=zk-0.zk-hs.ns1.svc.cluster.local:2888:3888\n",
		"server.2=zk-1.zk-hs.ns1.svc.cluster.local:2888:3888\n",
		"server.3=zk-2.zk-hs.ns1.svc.cluster.local:2888:3888\n",
		"dataDir=" + e.data + "\n", "4lw.commands.whitelist=*\n", "quorumListenOnAllIPs=true\n", "clientPort=2181\n",
	} {
		if !strings.Contains(cfg, want) {
			t.Errorf("zoo.cfg lacks %q:\n%s", want, cfg)
		}
	}
	if strings.Contains(cfg, "server.4") {
		t.Errorf("zoo.cfg lists more servers than ZK_REPLICAS:\n%s", cfg)
	}
	if sec := e.read("conf/java.security"); !strings.Contains(sec, "networkaddress.cache.negative.ttl=0\n") {
		t.Errorf("failed lookups of peers are cached:\n%s", sec)
	}
	args := e.read("java-args")
	for _, want := range []string{"-Xmx128m\n", "-Djava.security.properties=" + filepath.Join(e.dir, "conf", "java.security") + "\n", "org.apache.zookeeper.server.quorum.QuorumPeerMain\n", filepath.Join(e.dir, "conf", "zoo.cfg")} {
		if !strings.Contains(args, want) {
			t.Errorf("java arguments lack %q:\n%s", want, args)
		}
	}

	// The second start keeps the id from the volume.
	out, err = e.run("zk-2", "ZK_HEAP=64m")
	if err != nil || !strings.Contains(out, "myid 3 found on the data volume") {
		t.Fatalf("restart: err=%v\n%s", err, out)
	}
	if !strings.Contains(e.read("java-args"), "-Xmx64m\n") {
		t.Error("ZK_HEAP not applied")
	}
}

func TestStartRefusesAVolumeOfAnotherMember(t *testing.T) {
	e := newStartEnv(t)
	if out, err := e.run("zk-0"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	out, err := e.run("zk-1")
	if err == nil {
		t.Fatalf("zk-1 started on zk-0's volume:\n%s", out)
	}
	if !strings.Contains(out, "myid says 1 but zk-1 is server 2") {
		t.Errorf("refusal does not say why:\n%s", out)
	}
	if got := e.read("data/myid"); got != "1\n" {
		t.Errorf("myid rewritten to %q", got)
	}
}

func TestStartRefusesNamesThatAreNotMembers(t *testing.T) {
	for host, want := range map[string]string{
		"zookeeper": "does not end in -<ordinal>",
		"zk-x":      "does not end in -<ordinal>",
		"zk-":       "does not end in -<ordinal>",
		"zk-3":      "ordinal 3 is outside an ensemble of 3",
		"zk-01":     "leading zero",
		"7":         "has no <set>- prefix",
		"zk--1":     "has no <set>- prefix",
	} {
		e := newStartEnv(t)
		out, err := e.run(host)
		if err == nil || !strings.Contains(out, want) {
			t.Errorf("host %q: err=%v, want %q in\n%s", host, err, want, out)
		}
	}
	e := newStartEnv(t)
	if out, err := e.run("zk-0", "ZK_CLIENT_PORT=tcp://10.96.155.13:2181"); err == nil || !strings.Contains(out, "enableServiceLinks: false") {
		t.Errorf("a service link in ZK_CLIENT_PORT accepted: %v\n%s", err, out)
	}
	if out, err := e.run("zk-0", "ZK_REPLICAS="); err == nil || !strings.Contains(out, "ZK_REPLICAS") {
		t.Errorf("missing ZK_REPLICAS accepted: %v\n%s", err, out)
	}
}
