package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/stsconform/stsconform/framework/images"
)

func TestPushRehomesEveryRole(t *testing.T) {
	srv := httptest.NewServer(registry.New())
	defer srv.Close()
	reg := strings.TrimPrefix(srv.URL, "http://") + "/conf"

	local := map[string]v1.Image{}
	for _, ref := range images.Defaults().Refs() {
		img, err := random.Image(256, 1)
		if err != nil {
			t.Fatal(err)
		}
		local[ref] = img
	}
	read := func(ref string) (v1.Image, error) {
		if img, ok := local[ref]; ok {
			return img, nil
		}
		return nil, fmt.Errorf("no local image %s", ref)
	}
	var out, progress bytes.Buffer
	pushed, err := pushImages(context.Background(), images.Defaults(), reg, read, &progress, name.Insecure)
	if err != nil {
		t.Fatalf("push: %v\n%s", err, progress.String())
	}
	if err := writeMapping(&out, pushed); err != nil {
		t.Fatal(err)
	}

	// The printed mapping is a file the suite loads, and it re-homes
	// every role onto an image whose digest is the local one's.
	file := filepath.Join(t.TempDir(), "images.yaml")
	if err := os.WriteFile(file, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	loaded, err := images.Load(file)
	if err != nil {
		t.Fatalf("the printed mapping does not load: %v\n%s", err, out.String())
	}
	for _, r := range images.Roles() {
		src, dst := images.Defaults().Ref(r), loaded.Ref(r)
		if !strings.HasPrefix(dst, reg+"/") || images.IsLocal(dst) || !strings.Contains(dst, "@sha256:") {
			t.Errorf("role %s maps to %s, not under %s pinned to a digest", r, dst, reg)
			continue
		}
		ref, err := name.ParseReference(dst, name.Insecure)
		if err != nil {
			t.Fatal(err)
		}
		desc, err := remote.Head(ref)
		if err != nil {
			t.Errorf("role %s: %s not in the registry: %v", r, dst, err)
			continue
		}
		want, _ := local[src].Digest()
		if desc.Digest != want {
			t.Errorf("role %s: %s has digest %s, the local image %s", r, dst, desc.Digest, want)
		}
	}
}

func TestPushNamesTheMissingImage(t *testing.T) {
	srv := httptest.NewServer(registry.New())
	defer srv.Close()
	read := func(ref string) (v1.Image, error) { return nil, fmt.Errorf("no such image") }
	_, err := pushImages(context.Background(), images.Defaults(), strings.TrimPrefix(srv.URL, "http://"), read, &bytes.Buffer{}, name.Insecure)
	if err == nil || !strings.Contains(err.Error(), "image busybox=localhost/stsconform/busybox:1: no such image") {
		t.Errorf("err = %v", err)
	}
}

func TestFromTarballs(t *testing.T) {
	dir := t.TempDir()
	img, err := random.Image(128, 1)
	if err != nil {
		t.Fatal(err)
	}
	tag, err := name.NewTag("localhost/stsconform/web:1")
	if err != nil {
		t.Fatal(err)
	}
	if err := tarball.WriteToFile(filepath.Join(dir, "web.tar"), tag, img); err != nil {
		t.Fatal(err)
	}
	read, err := fromTarballs(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := read("localhost/stsconform/web:1")
	if err != nil {
		t.Fatal(err)
	}
	if gd, _ := got.Digest(); gd != must(img.Digest()) {
		t.Errorf("tarball image digest %s, want %s", gd, must(img.Digest()))
	}
	if _, err := read("localhost/stsconform/web:2"); err == nil || !strings.Contains(err.Error(), "docker save") {
		t.Errorf("missing image: %v", err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
