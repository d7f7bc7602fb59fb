package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/daemon"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/spf13/cobra"

	"github.com/stsconform/stsconform/framework/config"
	"github.com/stsconform/stsconform/framework/images"
)

func newImagesCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "images",
		Short: "The test images: which the suite would use, and pushing the locally built ones to a registry",
		Long: `The suites run their images by role (fixtures/images.yaml). On kind the locally
built images are side-loaded; any other cluster must pull them from a registry:
push them there, then run the suite with the mapping file push prints.`,
	}
	cmd.AddCommand(newImagesListCommand(), newImagesPushCommand())
	return cmd
}

func newImagesListCommand() *cobra.Command {
	var c config.Config
	var role string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "Print the role -> image mapping the suite would use (the shape of fixtures/images.yaml)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if role != "" && !slices.Contains(images.Roles(), images.Role(role)) {
				return fmt.Errorf("--role: no image role %q (roles: %s)", role, images.RoleList())
			}
			set, err := c.Images()
			if err != nil {
				return err
			}
			if role != "" {
				ref := set.Ref(images.Role(role))
				_, err := fmt.Fprintln(cmd.OutOrStdout(), ref)
				return err
			}
			return writeMapping(cmd.OutOrStdout(), set)
		},
	}
	cmd.Flags().StringVar(&c.ImagesFile, "images", "", "file mapping image roles to references (the shape of fixtures/images.yaml); empty: the locally built images")
	cmd.Flags().StringVar(&c.ImageRegistry, "image-registry", "", "re-home every test image under this registry (e.g. registry.example.com/stsconform)")
	cmd.Flags().StringVar(&role, "role", "", "print only this role's reference (e.g. runner)")
	return cmd
}

func newImagesPushCommand() *cobra.Command {
	var o struct {
		registry, fromTar string
		insecure          bool
	}
	cmd := &cobra.Command{
		Use:   "push --registry R",
		Short: "Push the locally built test images to a registry and print the mapping file for --images",
		Long: `Push each locally built test image (fixtures/images.yaml) to R/<name:tag>, read
from the local Docker daemon or, with --from-tar, from docker save tarballs (no
daemon needed). Credentials come from the Docker config (docker login). The
mapping to give the suite (--images, make e2e IMAGES=...) goes to stdout,
progress to stderr:

  stsconform images push --registry registry.example.com/stsconform > images.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.registry == "" {
				return fmt.Errorf("--registry is required")
			}
			if err := images.CheckRegistry(o.registry); err != nil {
				return fmt.Errorf("--registry: %w", err)
			}
			var opts []name.Option
			if o.insecure {
				opts = append(opts, name.Insecure)
			}
			read := fromDaemon(cmd.Context())
			if o.fromTar != "" {
				var err error
				if read, err = fromTarballs(o.fromTar); err != nil {
					return err
				}
			}
			pushed, err := pushImages(cmd.Context(), images.Defaults(), o.registry, read, cmd.ErrOrStderr(), opts...)
			if err != nil {
				return err
			}
			return writeMapping(cmd.OutOrStdout(), pushed)
		},
	}
	cmd.Flags().StringVar(&o.registry, "registry", "", "registry (and repository prefix) to push to, e.g. registry.example.com/stsconform")
	cmd.Flags().BoolVar(&o.insecure, "insecure", false, "the registry speaks plain http (or has an untrusted certificate)")
	cmd.Flags().StringVar(&o.fromTar, "from-tar", "", "read the images from the docker save tarballs (*.tar) of this directory instead of the Docker daemon")
	return cmd
}

// readImage gives the local image of a reference: the seam between where
// images come from (daemon, tarballs, a test's memory) and the push.
type readImage func(ref string) (v1.Image, error)

func fromDaemon(ctx context.Context) readImage {
	return func(ref string) (v1.Image, error) {
		r, err := name.ParseReference(ref)
		if err != nil {
			return nil, err
		}
		img, err := daemon.Image(r, daemon.WithContext(ctx))
		if err != nil {
			return nil, fmt.Errorf("read %s from the Docker daemon (build it with make images, or use --from-tar): %w", ref, err)
		}
		return img, nil
	}
}

// fromTarballs indexes the tags of every docker save tarball of dir.
func fromTarballs(dir string) (readImage, error) {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("--from-tar %s is not a directory", dir)
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.tar"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("--from-tar %s holds no *.tar (docker save -o %s/NAME.tar IMAGE)", dir, dir)
	}
	byTag := map[string]string{}
	for _, p := range paths {
		m, err := tarball.LoadManifest(func() (io.ReadCloser, error) { return os.Open(p) })
		if err != nil {
			return nil, fmt.Errorf("%s is not a docker save tarball: %w", p, err)
		}
		for _, d := range m {
			for _, t := range d.RepoTags {
				byTag[t] = p
			}
		}
	}
	return func(ref string) (v1.Image, error) {
		tag, err := name.NewTag(ref)
		if err != nil {
			return nil, err
		}
		p, ok := byTag[ref]
		if !ok {
			// docker save records docker.io images by their short name.
			p, ok = byTag[tag.String()]
		}
		if !ok {
			return nil, fmt.Errorf("no tarball of %s holds %s (docker save -o %s/NAME.tar %s)", dir, ref, dir, ref)
		}
		return tarball.ImageFromPath(p, &tag)
	}, nil
}

// pushImages writes every image of set under registry and returns the set
// re-homed there, each reference pinned to the digest pushed: a node that
// pulled an earlier build under the same tag cannot run a stale image. An
// image shared by two roles is pushed once.
func pushImages(ctx context.Context, set images.Set, registry string, read readImage, progress io.Writer, opts ...name.Option) (images.Set, error) {
	target := set.Rehome(registry)
	pinned := images.Set{}
	done := map[string]string{}
	for _, r := range images.Roles() {
		src, dst := set.Ref(r), target.Ref(r)
		if src == "" {
			continue
		}
		if d, ok := done[dst]; ok {
			pinned[r] = d
			continue
		}
		ref, err := name.ParseReference(dst, opts...)
		if err != nil {
			return nil, fmt.Errorf("image %s: target %s: %w", r, dst, err)
		}
		img, err := read(src)
		if err != nil {
			return nil, fmt.Errorf("image %s=%s: %w", r, src, err)
		}
		fmt.Fprintf(progress, "pushing %s -> %s\n", src, dst)
		if err := remote.Write(ref, img, remote.WithContext(ctx), remote.WithAuthFromKeychain(authn.DefaultKeychain)); err != nil {
			return nil, fmt.Errorf("image %s: push %s: %w", r, dst, err)
		}
		digest, err := img.Digest()
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(progress, "pushed %s@%s\n", dst, digest)
		pinned[r] = dst + "@" + digest.String()
		done[dst] = pinned[r]
	}
	return pinned, nil
}

// writeMapping prints set as a mapping file (fixtures/images.yaml's shape),
// roles in the suites' order.
func writeMapping(w io.Writer, set images.Set) error {
	var b strings.Builder
	b.WriteString("# role: image reference; give this file to the suite with --images (make e2e IMAGES=...)\n")
	var roles []images.Role
	for r := range set {
		roles = append(roles, r)
	}
	slices.SortFunc(roles, func(a, b images.Role) int {
		return slices.Index(images.Roles(), a) - slices.Index(images.Roles(), b)
	})
	for _, r := range roles {
		fmt.Fprintf(&b, "%s: %s\n", r, set.Ref(r))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
