package images

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/google/go-containerregistry/pkg/name"
)

// CheckReference reports why ref is not an image reference a node could
// pull (go-containerregistry's parser, the grammar Docker and containerd
// read), naming the common slips the parser's own message does not: a URL
// scheme, white space.
func CheckReference(ref string) error {
	if err := slips(ref); err != nil {
		return fmt.Errorf("%q is not an image reference: %w", ref, err)
	}
	if _, err := name.ParseReference(ref); err != nil {
		return fmt.Errorf("%q is not an image reference: %w", ref, err)
	}
	return nil
}

// CheckRegistry reports why registry cannot hold the suite's images as
// Rehome puts them there: it must be a registry host with an optional
// repository prefix (registry.example.com:5000/stsconform), in lower case,
// without a URL scheme, a tag or a digest.
func CheckRegistry(registry string) error {
	fail := func(err error) error { return fmt.Errorf("image registry %q: %w", registry, err) }
	if strings.TrimSpace(registry) == "" {
		return fail(errors.New("empty"))
	}
	if err := slips(registry); err != nil {
		return fail(err)
	}
	// Host names are case-insensitive and repository paths lower case:
	// lower case is what every runtime reads the same way.
	if registry != strings.ToLower(registry) {
		return fail(fmt.Errorf("upper case; image references are lower case (%s)", strings.ToLower(registry)))
	}
	if strings.Contains(registry, "@") {
		return fail(errors.New("a digest; give the registry and repository prefix only"))
	}
	parts := strings.Split(strings.TrimSuffix(registry, "/"), "/")
	if isHost(parts[0]) {
		if _, err := name.NewRegistry(parts[0]); err != nil {
			return fail(err)
		}
		if !strings.HasPrefix(parts[0], "[") && !hostname.MatchString(parts[0]) {
			return fail(fmt.Errorf("registry host %q: want DNS labels of letters, digits and inner '-', and an optional :port", parts[0]))
		}
		parts = parts[1:]
	}
	for _, p := range parts {
		switch {
		case strings.Contains(p, ":"):
			return fail(errors.New("a tag; give the registry and repository prefix only"))
		case !pathComponent.MatchString(p):
			return fail(fmt.Errorf("repository path component %q: want lower-case letters and digits, separated by '.', '_', '__' or '-'", p))
		}
	}
	// What Rehome makes of it must parse as an image reference.
	probe := strings.TrimSuffix(registry, "/") + "/busybox:1"
	if _, err := name.NewTag(probe); err != nil {
		return fail(fmt.Errorf("%s does not parse: %w", probe, err))
	}
	return nil
}

// pathComponent is a repository path component of the distribution
// reference grammar (github.com/distribution/reference), which Docker and
// containerd parse with; go-containerregistry's parser is laxer (it takes
// "a//b" and "-a").
var pathComponent = regexp.MustCompile(`^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$`)

// hostname is the grammar's domain (an IPv6 address in brackets is left
// to go-containerregistry).
var hostname = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]+)?$`)

// isHost is the grammar's rule for the first component: a registry host
// when it has a '.' or a ':' or is localhost, else a Docker Hub path.
func isHost(s string) bool {
	return strings.ContainsAny(s, ".:") || s == "localhost"
}

func slips(s string) error {
	switch {
	case strings.Contains(s, "://"):
		return errors.New("a URL scheme; name the registry host alone, e.g. registry.example.com/stsconform (plain HTTP is the nodes' runtime configuration, and images push --insecure)")
	case strings.IndexFunc(s, unicode.IsSpace) >= 0:
		return errors.New("white space")
	}
	return nil
}
