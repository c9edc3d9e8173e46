#!/usr/bin/env bash
# Runs a command with DIR in place of /etc/codex, in a private mount
# namespace: the host's /etc is never written. /etc gets a throwaway overlay
# (so /etc/codex can exist there even when the host has none), then DIR is
# bind-mounted onto /etc/codex. Needs root (unshare -m); the tests check
# `unshare -m true` first and skip with the reason when it is not permitted.
#
# Usage: with-system-layer.sh DIR command [args...]
set -euo pipefail
dir=$1
shift
scratch=$(mktemp -d "${TMPDIR:-/tmp}/codex-auth-etc-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/upper" "$scratch/work"
unshare -m bash -c '
  set -e
  mount --make-rprivate /
  mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1/upper,workdir=$1/work" /etc
  mkdir -p /etc/codex
  mount --bind "$2" /etc/codex
  shift 2
  exec "$@"
' bash "$scratch" "$dir" "$@"
