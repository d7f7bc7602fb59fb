package config

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRegisterDefaultsAndOverrides(t *testing.T) {
	var c Config
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	c.Register(fs)
	if c.Timeouts != DefaultTimeouts() {
		t.Fatalf("registered timeouts differ from the defaults: %+v", c.Timeouts)
	}
	if err := fs.Parse([]string{"--timeout-dns=3m", "--poll-interval=250ms"}); err != nil {
		t.Fatal(err)
	}
	if c.Timeouts.DNS != 3*time.Minute || c.Timeouts.Poll != 250*time.Millisecond {
		t.Fatalf("flags not applied: %+v", c.Timeouts)
	}
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	kindCfg := filepath.Join(dir, "kind.yaml")
	_ = os.WriteFile(kindCfg, []byte("kind: Cluster\n"), 0o644)
	ok := Config{KindConfig: kindCfg, Artifacts: dir, Timeouts: DefaultTimeouts()}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := []Config{
		{KindConfig: filepath.Join(dir, "nope.yaml"), Artifacts: dir, Timeouts: DefaultTimeouts()},
		{Kubeconfig: filepath.Join(dir, "nope"), Artifacts: dir, Timeouts: DefaultTimeouts()},
		{KindConfig: kindCfg, Artifacts: "", Timeouts: DefaultTimeouts()},
		{KindConfig: kindCfg, Artifacts: dir},
		// Outside a pod (no service account, no KUBERNETES_SERVICE_HOST).
		{InCluster: true, Artifacts: dir, Timeouts: DefaultTimeouts()},
		{InCluster: true, Kubeconfig: kindCfg, Artifacts: dir, Timeouts: DefaultTimeouts()},
	}
	for i, c := range bad {
		if err := c.Validate(); err == nil {
			t.Errorf("case %d: invalid config accepted: %+v", i, c)
		}
	}
}

// Every command and the suite resolve images here: a registry that cannot
// hold them fails before any cluster is touched.
func TestImagesRefusesABadRegistry(t *testing.T) {
	if _, err := (&Config{ImageRegistry: "registry.example.com/conf"}).Images(); err != nil {
		t.Fatal(err)
	}
	_, err := (&Config{ImageRegistry: "https://registry.example.com/conf"}).Images()
	if err == nil || !strings.HasPrefix(err.Error(), `--image-registry: image registry "https://registry.example.com/conf": a URL scheme`) {
		t.Errorf("Images with a scheme: %v", err)
	}
}

func TestNewTimeoutFlags(t *testing.T) {
	var c Config
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	c.Register(fs)
	if c.Timeouts.ControllerObserve != 30*time.Second || c.Timeouts.Exec != 30*time.Second {
		t.Errorf("defaults: controller-observe %s, exec %s", c.Timeouts.ControllerObserve, c.Timeouts.Exec)
	}
	if err := fs.Parse([]string{"--timeout-controller-observe=10s", "--timeout-exec=5s"}); err != nil {
		t.Fatal(err)
	}
	if c.Timeouts.ControllerObserve != 10*time.Second || c.Timeouts.Exec != 5*time.Second {
		t.Errorf("flags not applied: %+v", c.Timeouts)
	}
}

// Every exec needs a deadline: a zero one fails before any spec runs.
func TestValidateRefusesNoExecDeadline(t *testing.T) {
	dir := t.TempDir()
	kindCfg := filepath.Join(dir, "kind.yaml")
	if err := os.WriteFile(kindCfg, []byte("kind: Cluster\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var cfg Config
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	cfg.Register(fs)
	if err := fs.Parse([]string{"--kind-config=" + kindCfg, "--artifacts=" + dir, "--timeout-exec=0"}); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err == nil || err.Error() != "--timeout-exec must be positive: every exec needs a deadline" {
		t.Errorf("Validate = %v", err)
	}
}
