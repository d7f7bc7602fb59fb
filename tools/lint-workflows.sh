#!/usr/bin/env bash
# Lints the GitHub Actions workflows under .github/workflows with actionlint,
# pinned in tools/go.mod and built from the Go module proxy (no binary download).
# Exits non-zero when actionlint reports anything.
#
# actionlint checks the shell of run: steps with shellcheck when shellcheck is
# on PATH (Debian/Ubuntu package "shellcheck"); without it those checks are
# skipped and this script says so. Set SHELLCHECK=0 to skip them anyway.
#
# Usage: tools/lint-workflows.sh [actionlint flags] [workflow files]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

GO=${GO:-go}

args=()
if [ "${SHELLCHECK:-1}" = 0 ] || ! command -v shellcheck >/dev/null 2>&1; then
	echo "lint-workflows: shellcheck not used (not installed, or SHELLCHECK=0): run: scripts are not checked" >&2
	args+=(-shellcheck=)
fi
# pyflakes is only for Python run: steps; there are none.
args+=(-pyflakes=)

exec "$GO" tool -modfile=tools/go.mod actionlint "${args[@]}" "$@"
