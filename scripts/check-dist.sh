#!/usr/bin/env bash
# Fails when the committed dist/ differs from what `npm run package` builds.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run -s package
if [ -n "$(git status --porcelain -- dist)" ]; then
  echo 'dist/ is stale: run `npm run package` and commit dist/.' >&2
  git status --porcelain -- dist >&2
  exit 1
fi
echo 'dist/ is up to date.'
