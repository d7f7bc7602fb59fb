#!/usr/bin/env bash
# A container registry served from this host, for machines that have none:
# it lets a kind cluster behave like any other cluster, pulling the test
# images (the runner's included) instead of having them side-loaded.
#
#   hermetic/local-registry.sh up DIR    build (Go module) and start the registry, push
#                                        the images, write DIR/images.yaml (the mapping
#                                        for --images) and DIR/kind-config.yaml (kind-config.yaml
#                                        with its nodes pointed at the registry)
#   hermetic/local-registry.sh down DIR  stop it and delete what it stored
#
# The images are named localhost:$PORT/stsconform/...: this host pushes to
# localhost, and each node's containerd maps that name to the host's address
# on kind's Docker network (its gateway). It is plain HTTP, on this host only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DISTRIBUTION_VERSION=${DISTRIBUTION_VERSION:-v3.1.2}
PORT=${REGISTRY_PORT:-5001}
CACHE=${STSCONFORM_CACHE:-$HOME/.cache/stsconform}
verb=${1:?usage: local-registry.sh up|down DIR}
dir=$(realpath -m "${2:?usage: local-registry.sh up|down DIR}")
mkdir -p "$dir"

say() { echo "local-registry: $*" >&2; }

down() {
	if [ -f "$dir/registry.pid" ]; then
		kill "$(cat "$dir/registry.pid")" 2>/dev/null || true
		rm -f "$dir/registry.pid"
	fi
	rm -rf "$dir/storage"
	say "stopped; storage deleted"
}

if [ "$verb" = down ]; then
	down
	exit 0
fi
[ "$verb" = up ] || { say "unknown verb $verb (want up or down)"; exit 2; }

bin="$CACHE/bin/registry-$DISTRIBUTION_VERSION"
if [ ! -x "$bin" ]; then
	say "building the registry (github.com/distribution/distribution/v3 $DISTRIBUTION_VERSION)"
	tmp=$(mktemp -d)
	GOBIN="$tmp" CGO_ENABLED=0 GOFLAGS=-mod=mod go install "github.com/distribution/distribution/v3/cmd/registry@$DISTRIBUTION_VERSION"
	mkdir -p "$(dirname "$bin")" && mv "$tmp/registry" "$bin" && rmdir "$tmp"
fi

# kind's network exists once any kind cluster was made; make it if not, as
# kind would (so its gateway is known before the cluster is).
docker network inspect kind >/dev/null 2>&1 || docker network create kind >/dev/null
gateway=$(docker network inspect kind -f '{{range .IPAM.Config}}{{if not (eq (len (split .Gateway ":")) 1)}}{{else}}{{.Gateway}}{{end}}{{end}}')
[ -n "$gateway" ] || { say "kind's Docker network has no IPv4 gateway"; exit 1; }

cat > "$dir/config.yml" <<CFG
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $dir/storage}}
http: {addr: ":$PORT"}
CFG
down 2>/dev/null
"$bin" serve "$dir/config.yml" > "$dir/registry.log" 2>&1 &
echo $! > "$dir/registry.pid"
for _ in $(seq 50); do
	curl -fsS "http://localhost:$PORT/v2/" >/dev/null 2>&1 && break
	sleep 0.2
done
curl -fsS "http://localhost:$PORT/v2/" >/dev/null || { say "the registry did not answer on :$PORT (log: $dir/registry.log)"; exit 1; }
say "serving on :$PORT (nodes reach it at $gateway:$PORT)"

go run ./cmd/stsconform images push --registry "localhost:$PORT/stsconform" > "$dir/images.yaml"
say "images pushed; mapping in $dir/images.yaml"

{
	cat kind-config.yaml
	cat <<PATCH
# Added by hermetic/local-registry.sh: pull localhost:$PORT/... from this
# host's registry.
containerdConfigPatches:
- |-
  [plugins."io.containerd.grpc.v1.cri".registry.mirrors."localhost:$PORT"]
    endpoint = ["http://$gateway:$PORT"]
PATCH
} > "$dir/kind-config.yaml"
say "kind config with the registry in $dir/kind-config.yaml"
