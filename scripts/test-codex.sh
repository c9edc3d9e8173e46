#!/usr/bin/env bash
# The Codex compatibility suite (`npm run test:codex`, also in .ci/run): runs
# the built action, then the real Codex CLI with what it exported, against the
# loopback dev backend, inside a loopback-only network namespace, once per
# pinned Codex release (CODEX_VERSIONS in codex-compat/codex.ts).
#
# The keyless scenarios (workload identity, SPEC 12) also need Codex's own
# hosts: a second dev backend serves HTTPS on 127.0.0.1:443 inside the
# namespace, and scripts/with-hosts.sh bind-mounts a hosts file that maps
# auth.openai.com and chatgpt.com to it over /etc/hosts, per run, in a
# private mount namespace (the host's /etc/hosts is never written).
#
# Installs each @openai/codex release into its own git-ignored
# .cache/codex-<version> on first use: that is the only network access, and it
# happens before the namespace.
# Arguments go to codex-compat/run.ts (--only <name>, --codex <version>,
# --verbose, --keep).
set -euo pipefail
cd "$(dirname "$0")/.."

tsx=node_modules/.bin/tsx

# No namespace, no Codex run (run.ts explains and fails when CI=true), so
# do not download 400 MB per release for nothing.
if ! unshare -n true 2>/dev/null; then
  exec "$tsx" codex-compat/run.ts "$@"
fi

installed_version() {
  node -e 'try { process.stdout.write(require(process.argv[1]).version) } catch {}' \
    "$PWD/.cache/codex-$1/node_modules/@openai/codex/package.json"
}

versions=$("$tsx" --eval \
  'import("./codex-compat/codex.ts").then((m) => console.log(m.CODEX_VERSIONS.join(" ")))')
for version in $versions; do
  prefix=.cache/codex-$version
  if [ "$(installed_version "$version")" != "$version" ]; then
    echo "codex-compat: installing @openai/codex@$version into $prefix (about 400 MB, once)" >&2
    # --no-save/--no-package-lock: never a devDependency, package.json untouched.
    npm i --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund \
      "@openai/codex@$version" >&2
  fi
  if [ "$(installed_version "$version")" != "$version" ]; then
    echo "codex-compat: @openai/codex@$version did not install into $prefix" >&2
    exit 1
  fi
done

if [ ! -f dist/index.js ]; then
  echo 'codex-compat: dist/index.js is missing; building it (npm run package)' >&2
  npm run package >&2
fi

# run.ts re-executes itself under `unshare -n` (or says why it cannot and
# fails when CI=true); Codex never runs outside that namespace.
exec "$tsx" codex-compat/run.ts "$@"
