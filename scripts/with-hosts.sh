#!/usr/bin/env bash
# Runs a command with HOSTS_FILE in place of /etc/hosts, in a private mount
# namespace: the host's /etc/hosts is never written. The Codex suite uses it
# to make auth.openai.com and chatgpt.com resolve to 127.0.0.1 inside its
# loopback-only network namespace (workload identity accepts only those
# hosts, SPEC 12). Needs root (unshare -m); the suite checks first.
#
# Usage: with-hosts.sh HOSTS_FILE command [args...]
set -euo pipefail
hosts=$1
shift
exec unshare -m bash -c '
  set -e
  mount --make-rprivate /
  mount --bind "$1" /etc/hosts
  shift
  exec "$@"
' bash "$hosts" "$@"
