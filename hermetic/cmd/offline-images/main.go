// Command offline-images builds the hermetic kind node image and the images
// the suites run, from Debian packages and Go modules only.
//
//	offline-images build [--kubernetes-version v1.37.2|v1.36] [--workloads-only]
//	offline-images print-image [--kubernetes-version ...]
//	offline-images runner [--suite-ldflags '-X ...']
//
// The version defaults to the newest supported minor's release
// (fixtures/support.yaml); a minor of the window stands for its release.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/stsconform/stsconform/framework/support"
	"github.com/stsconform/stsconform/hermetic/imagebuild"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "offline-images:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: offline-images build|print-image|runner [flags]")
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	version := fs.String("kubernetes-version", "", "Kubernetes release (v1.37.2) or supported minor (v1.36) to build the node image for; empty: the newest supported minor's release")
	workloadsOnly := fs.Bool("workloads-only", false, "build only the images the suites run (for official node images)")
	suiteLDFlags := fs.String("suite-ldflags", "", "runner: -ldflags of the suite's build (its version and commit)")
	cacheDir := fs.String("cache-dir", os.Getenv("STSCONFORM_CACHE"), "build cache (default $HOME/.cache/stsconform)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	window, err := support.Load()
	if err != nil {
		return err
	}
	release, err := window.Release(*version)
	if err != nil {
		return err
	}
	v, err := imagebuild.ParseVersion(release)
	if err != nil {
		return err
	}
	switch args[0] {
	case "print-image":
		fmt.Println(imagebuild.NodeImage(v))
		return nil
	case "build", "runner":
	default:
		return fmt.Errorf("unknown command %q (want build, print-image or runner)", args[0])
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root, err := repoRoot()
	if err != nil {
		return err
	}
	b, err := imagebuild.New(imagebuild.Options{RepoRoot: root, CacheDir: *cacheDir, Progress: os.Stdout, MinFreeBytes: 8 << 30})
	if err != nil {
		return err
	}
	start := time.Now()
	if args[0] == "runner" {
		name, err := b.RunnerImage(ctx, imagebuild.RunnerInput{SuiteLDFlags: *suiteLDFlags})
		if err != nil {
			return err
		}
		fmt.Printf("runner image %s ready in %s\n", name, time.Since(start).Round(time.Second))
		return nil
	}
	if *workloadsOnly {
		names, err := b.Workloads(ctx)
		if err != nil {
			return err
		}
		fmt.Printf("workload images ready in %s: %v\n", time.Since(start).Round(time.Second), names)
		return nil
	}
	name, err := b.NodeImage(ctx, v)
	if err != nil {
		return err
	}
	fmt.Printf("node image %s ready in %s\n", name, time.Since(start).Round(time.Second))
	return nil
}

// repoRoot finds the directory holding this module's go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "hermetic", "cmd", "offline-images")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("run offline-images from inside the stsconform repository")
		}
		dir = parent
	}
}
