#!/usr/bin/env bash
# Build the podnet image (localhost/stsconform/podnet:v0.1.0 unless IMAGE is
# set) from a statically linked binary; no network needed. Run from anywhere
# in the repository. Prints the image reference on success.
set -euo pipefail
root=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
image=${IMAGE:-localhost/stsconform/podnet:v0.1.0}
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
(cd "$root" && CGO_ENABLED=0 GOOS=linux GOARCH="${GOARCH:-$(go env GOARCH)}" \
	go build -trimpath -ldflags='-s -w' -o "$ctx/podnet" ./cmd/podnet)
cp "$root/images/podnet/Dockerfile" "$ctx/Dockerfile"
docker build -q -t "$image" "$ctx" >/dev/null
echo "$image"
