#!/usr/bin/env bash
# The Codex compatibility suite (`npm run test:codex`, also in .ci/run): runs
# the built action, then the real Codex CLI with what it exported, against the
# loopback dev backend, inside a loopback-only network namespace.
#
# Installs @openai/codex (pinned) into the git-ignored .cache/codex on first
# use: that is the only network access, and it happens before the namespace.
# Arguments go to codex-compat/run.ts (--only <name>, --verbose).
set -euo pipefail
cd "$(dirname "$0")/.."

CODEX_VERSION=0.169.0
prefix=.cache/codex
manifest=$prefix/node_modules/@openai/codex/package.json

installed_version() {
  node -e 'try { process.stdout.write(require(process.argv[1]).version) } catch {}' \
    "$PWD/$manifest"
}

# No namespace, no Codex run (run.ts explains and fails when CI=true), so
# do not download 400 MB for nothing.
if ! unshare -n true 2>/dev/null; then
  exec node_modules/.bin/tsx codex-compat/run.ts "$@"
fi

if [ "$(installed_version)" != "$CODEX_VERSION" ]; then
  echo "codex-compat: installing @openai/codex@$CODEX_VERSION into $prefix (about 400 MB, once)" >&2
  # --no-save/--no-package-lock: never a devDependency, package.json untouched.
  npm i --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund \
    "@openai/codex@$CODEX_VERSION" >&2
fi
if [ "$(installed_version)" != "$CODEX_VERSION" ]; then
  echo "codex-compat: @openai/codex@$CODEX_VERSION did not install into $prefix" >&2
  exit 1
fi

if [ ! -f dist/index.js ]; then
  echo 'codex-compat: dist/index.js is missing; building it (npm run package)' >&2
  npm run package >&2
fi

# run.ts re-executes itself under `unshare -n` (or says why it cannot and
# fails when CI=true); Codex never runs outside that namespace.
exec node_modules/.bin/tsx codex-compat/run.ts "$@"
