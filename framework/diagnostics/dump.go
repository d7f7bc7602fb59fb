package diagnostics

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"k8s.io/client-go/kubernetes"
)

// DumpInput says what to collect and where to write it.
type DumpInput struct {
	Client    kubernetes.Interface
	Namespace string
	// Dir is created if needed; files in it are overwritten.
	Dir string
	// Nodes adds nodes.txt, for specs that disrupt nodes.
	Nodes bool
}

// Dump writes, under in.Dir:
//
//	events.txt                  namespace events, oldest first, one per line
//	pods.yaml                   the namespace's pods
//	logs/<pod>_<container>.log  and ..._previous.log for restarted containers
//	statefulsets.yaml, controllerrevisions.yaml, pvcs.yaml,
//	poddisruptionbudgets.yaml   the namespace's objects of those kinds
//	pvs.yaml                    volumes whose claimRef is in the namespace
//	nodes.txt                   when in.Nodes is set
//
// It carries on past every failure and returns all of them joined; a log
// that cannot be read is noted in its file instead.
func Dump(ctx context.Context, in DumpInput) error {
	if in.Client == nil || in.Namespace == "" || in.Dir == "" {
		return fmt.Errorf("diagnostics: client, namespace and dir are required (namespace %q, dir %q)", in.Namespace, in.Dir)
	}
	if err := os.MkdirAll(in.Dir, 0o755); err != nil {
		return fmt.Errorf("diagnostics: %w", err)
	}
	d := &dumper{c: in.Client, ns: in.Namespace, dir: in.Dir}
	d.events(ctx)
	pods := d.pods(ctx)
	d.logs(ctx, pods)
	d.statefulSets(ctx)
	d.controllerRevisions(ctx)
	d.claims(ctx)
	d.volumes(ctx)
	d.budgets(ctx)
	if in.Nodes {
		d.nodes(ctx)
	}
	return errors.Join(d.errs...)
}

type dumper struct {
	c    kubernetes.Interface
	ns   string
	dir  string
	errs []error
}

func (d *dumper) fail(what string, err error) {
	if err != nil {
		d.errs = append(d.errs, fmt.Errorf("diagnostics for namespace %s: %s: %w", d.ns, what, err))
	}
}

func (d *dumper) path(name string) string { return filepath.Join(d.dir, name) }
