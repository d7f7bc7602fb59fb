#!/usr/bin/env bash
# Lints the GitHub Actions workflows under .github/workflows with actionlint,
# built from the Go module proxy at a pinned version (no binary download).
# Exits non-zero when actionlint reports anything.
#
# actionlint checks the shell of run: steps with shellcheck when shellcheck is
# on PATH (Debian/Ubuntu package "shellcheck"); without it those checks are
# skipped and this script says so. Set SHELLCHECK=0 to skip them anyway.
#
# Usage: hack/lint-workflows.sh [actionlint flags] [workflow files]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ACTIONLINT_VERSION=${ACTIONLINT_VERSION:-v1.7.12}
GO=${GO:-go}

args=()
if [ "${SHELLCHECK:-1}" = 0 ] || ! command -v shellcheck >/dev/null 2>&1; then
	echo "lint-workflows: shellcheck not used (not installed, or SHELLCHECK=0): run: scripts are not checked" >&2
	args+=(-shellcheck=)
fi
# pyflakes is only for Python run: steps; there are none.
args+=(-pyflakes=)

exec "$GO" run "github.com/rhysd/actionlint/cmd/actionlint@${ACTIONLINT_VERSION}" "${args[@]}" "$@"
