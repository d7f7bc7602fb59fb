package cluster

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// fakeDocker answers docker commands from a table keyed by the joined
// arguments; anything else fails as Docker would for a missing object.
func fakeDocker(answers map[string]string) docker {
	return func(_ context.Context, args ...string) ([]string, error) {
		if v, ok := answers[strings.Join(args, " ")]; ok {
			return strings.Split(v, "\n"), nil
		}
		return []string{"Error: No such object"}, errors.New("exit status 1")
	}
}

const (
	inspectContainer = "container inspect --format {{.Config.Image}}\t{{.Image}} "
	inspectImage     = "image inspect --format {{.Id}}\t{{json .RepoDigests}} "
	kindestSum       = "sha256:7416a61b42b1662ca6ca89f02028ac133a309a2a30ba309614e8ec94d976dc5a"
)

func TestNodeImage(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name                   string
		answers                map[string]string
		containers             []string
		requested              string
		image, digest, unknown string
	}{{
		name: "registry image: its digest",
		answers: map[string]string{
			inspectContainer + "stsconform-control-plane": "kindest/node:v1.34.0@" + kindestSum + "\tsha256:aaaa",
			inspectImage + "sha256:aaaa":                  "sha256:aaaa\t[\"example.org/mirror/node@sha256:bbbb\",\"kindest/node@" + kindestSum + "\"]",
		},
		containers: []string{"stsconform-control-plane"},
		image:      "kindest/node:v1.34.0@" + kindestSum, digest: kindestSum,
	}, {
		name: "hermetic image built here: the image ID, said to be local",
		answers: map[string]string{
			inspectContainer + "stsconform-worker": "localhost/stsconform/node:v1.34.3\tsha256:cccc",
			inspectImage + "sha256:cccc":           "sha256:cccc\t[]",
		},
		containers: []string{"stsconform-worker"},
		image:      "localhost/stsconform/node:v1.34.3", digest: "sha256:cccc",
	}, {
		name: "first container gone: the next one",
		answers: map[string]string{
			inspectContainer + "stsconform-worker2": "localhost/stsconform/node:v1.34.3\tsha256:cccc",
			inspectImage + "sha256:cccc":            "sha256:cccc\tnull",
		},
		containers: []string{"stsconform-worker", "stsconform-worker2"},
		image:      "localhost/stsconform/node:v1.34.3", digest: "sha256:cccc",
	}, {
		name:      "no container: the requested reference, its digest from the reference",
		requested: "kindest/node:v1.34.0@" + kindestSum,
		image:     "kindest/node:v1.34.0@" + kindestSum, digest: kindestSum,
	}, {
		name:      "no container, image unknown to Docker: digest unknown",
		requested: "localhost/stsconform/node:v1.34.3",
		image:     "localhost/stsconform/node:v1.34.3", unknown: "digest: docker image inspect localhost/stsconform/node:v1.34.3",
	}, {
		name:    "nothing: both unknown",
		unknown: "image: no kind node container found",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			image, digest := nodeImage(ctx, fakeDocker(tc.answers), tc.containers, tc.requested)
			if image.Value != tc.image {
				t.Errorf("image = %+v; want %q", image, tc.image)
			}
			if digest.Value != tc.digest {
				t.Errorf("digest = %+v; want %q", digest, tc.digest)
			}
			if tc.unknown != "" {
				what, reason, _ := strings.Cut(tc.unknown, ": ")
				s := image
				if what == "digest" {
					s = digest
				}
				if !strings.Contains(s.Unknown, reason) {
					t.Errorf("%s unknown = %q; want it to say %q", what, s.Unknown, reason)
				}
			}
			for _, s := range []struct{ v, u, src string }{{image.Value, image.Unknown, image.Source}, {digest.Value, digest.Unknown, digest.Source}} {
				if (s.v == "") == (s.u == "") {
					t.Errorf("a setting must have a value or a reason, not both or neither: %+v %+v", image, digest)
				}
				if s.v != "" && s.src == "" {
					t.Errorf("a value without its source: %+v %+v", image, digest)
				}
			}
		})
	}
}

func TestOriginOfAClusterNotCreated(t *testing.T) {
	if o := (&Cluster{Name: "theirs", Kind: true}).Origin(context.Background()); o.Created || o.Name != "" {
		t.Fatalf("a cluster the run did not create must not claim an origin: %+v", o)
	}
	var none *Cluster
	if o := none.Origin(context.Background()); o.Created {
		t.Fatalf("nil cluster: %+v", o)
	}
}
