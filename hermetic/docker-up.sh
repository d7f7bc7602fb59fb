#!/usr/bin/env bash
# Makes a Docker engine answer on this host, installing and starting one when
# needed. Idempotent: a host whose engine already answers (and can run
# privileged containers) is left untouched.
#
# Hosts whose capability bounding set lacks capabilities (some VMs lack
# CAP_SYS_RESOURCE) cannot start privileged containers with plain runc; there
# the engine is registered with capwrap (hermetic/cmd/capwrap), which drops exactly the
# missing capabilities. See docs/offline.md.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WRAPPER=${CAPWRAP_PATH:-/usr/local/sbin/stsconform-runc}
LOG=${DOCKERD_LOG:-/var/log/stsconform-dockerd.log}

die() { echo "docker-up: $*" >&2; exit 1; }
say() { echo "docker-up: $*"; }

engine_answers() { docker info >/dev/null 2>&1; }

# capbnd_full succeeds when no capability the kernel knows is missing from the
# bounding set (the probe asks capwrap's own logic, so both agree).
capbnd_full() {
	local missing
	missing=$("$WRAPPER" --capwrap-missing 2>/dev/null || true)
	[ -z "$missing" ]
}

build_wrapper() {
	command -v go >/dev/null || die "Go is not installed; it is needed to build the runtime wrapper (hermetic/cmd/capwrap)"
	local tmp
	tmp=$(mktemp)
	(cd "$REPO_ROOT" && CGO_ENABLED=0 go build -trimpath -o "$tmp" ./hermetic/cmd/capwrap) ||
		die "building hermetic/cmd/capwrap failed (see the go build output above)"
	install -m 0755 "$tmp" "$WRAPPER"
	rm -f "$tmp"
}

install_engine() {
	[ "$(id -u)" = 0 ] || die "no Docker engine answers and installing one needs root (run as root, or start Docker and add yourself to the docker group)"
	command -v apt-get >/dev/null || die "no Docker engine answers and this host has no apt-get to install one; install Docker and re-run"
	say "installing Docker engine from Debian packages (docker.io)"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null || die "apt-get update failed"
	apt-get install -y -qq docker.io >/dev/null || die "apt-get install docker.io failed"
}

write_daemon_json() {
	mkdir -p /etc/docker
	local want
	want=$(printf '{\n  "runtimes": {"capwrap": {"path": "%s"}},\n  "default-runtime": "capwrap"\n}\n' "$WRAPPER")
	if [ -f /etc/docker/daemon.json ] && [ "$(cat /etc/docker/daemon.json)" = "$want" ]; then
		return 0
	fi
	if [ -f /etc/docker/daemon.json ] && ! grep -q capwrap /etc/docker/daemon.json; then
		die "/etc/docker/daemon.json exists with settings of its own; add the runtime \"capwrap\" ($WRAPPER) to it by hand and make it the default-runtime"
	fi
	echo "$want" >/etc/docker/daemon.json
	say "registered $WRAPPER as dockerd's default runtime"
}

start_dockerd() {
	command -v dockerd >/dev/null || install_engine
	# A pid file left by a dockerd that is gone would stop the new one.
	if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
		rm -f /var/run/docker.pid
	fi
	if pgrep -x dockerd >/dev/null; then
		say "dockerd is running but does not answer; restarting it"
		pkill -x dockerd || true
		for _ in $(seq 1 50); do pgrep -x dockerd >/dev/null || break; sleep 0.2; done
	fi
	say "starting dockerd (log: $LOG)"
	nohup dockerd >"$LOG" 2>&1 &
	for _ in $(seq 1 150); do
		engine_answers && return 0
		sleep 0.2
	done
	tail -n 20 "$LOG" >&2 || true
	die "dockerd did not answer within 30s (log above, full log in $LOG)"
}

main() {
	command -v docker >/dev/null || install_engine
	if [ "$(id -u)" = 0 ]; then
		build_wrapper
		if ! capbnd_full; then
			say "capability bounding set lacks: $("$WRAPPER" --capwrap-missing | tr '\n' ' ')"
			if engine_answers && docker info --format '{{.DefaultRuntime}}' | grep -qx capwrap; then
				say "engine answers with the capability wrapper"
				return 0
			fi
			write_daemon_json
			if engine_answers; then
				pkill -x dockerd || true
				for _ in $(seq 1 50); do pgrep -x dockerd >/dev/null || break; sleep 0.2; done
			fi
		fi
	fi
	if engine_answers; then
		say "engine answers ($(docker version --format '{{.Server.Version}}'))"
		return 0
	fi
	if [ "$(id -u)" != 0 ]; then
		if [ -S /var/run/docker.sock ]; then
			die "permission denied on /var/run/docker.sock: add $(id -un) to the docker group (or run as root)"
		fi
		die "no Docker engine answers and starting one needs root"
	fi
	start_dockerd
	say "engine answers ($(docker version --format '{{.Server.Version}}'))"
}

main "$@"
