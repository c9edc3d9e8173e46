#!/usr/bin/env bash
# Cuts a release locally: bumps package.json's version, rebuilds dist/, moves
# the changelog's Unreleased entries under the new version, commits, tags
# vX.Y.Z and moves the major tag (v1) to it. Never pushes.
#
#   bash scripts/release.sh <patch|minor|major|X.Y.Z> [--apply]
#
# Without --apply it only prints what it would do and changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  echo 'Usage: bash scripts/release.sh <patch|minor|major|X.Y.Z> [--apply]' >&2
  exit 2
}

bump='' apply=false
for arg in "$@"; do
  case "$arg" in
    --apply) apply=true ;;
    patch | minor | major) bump=$arg ;;
    [0-9]*.[0-9]*.[0-9]*) bump=$arg ;;
    *) usage ;;
  esac
done
[ -n "$bump" ] || usage

fail() {
  echo "release: $*" >&2
  exit 1
}

current=$(node -p 'require("./package.json").version')
next=$(node -e '
  const [current, bump] = process.argv.slice(1)
  const [major, minor, patch] = current.split("-")[0].split(".").map(Number)
  const next = { major: `${major + 1}.0.0`, minor: `${major}.${minor + 1}.0`,
    patch: `${major}.${minor}.${patch + 1}` }[bump] ?? bump
  if (!/^\d+\.\d+\.\d+$/.test(next)) process.exit(1)
  process.stdout.write(next)' "$current" "$bump") ||
  fail "'$bump' is not patch, minor, major or a version X.Y.Z"
tag="v$next"
major_tag="v${next%%.*}"
today=$(date -u +%Y-%m-%d)

# Reasons --apply would refuse; a dry run shows the plan, then these.
refusals=()
[ -z "$(git status --porcelain)" ] ||
  refusals+=('the worktree has uncommitted changes: commit or stash them first')
! git rev-parse -q --verify "refs/tags/$tag" >/dev/null ||
  refusals+=("tag $tag exists already")
node -e '
  const [a, b] = process.argv.slice(1).map((v) => v.split(".").map(Number))
  const cmp = a[0] - b[0] || a[1] - b[1] || a[2] - b[2]
  process.exit(cmp >= 0 ? 0 : 1)' "$next" "$current" ||
  refusals+=("$next is older than the current version $current")

# The Unreleased entries: the lines between its heading and the next one.
unreleased=$(awk '/^## \[Unreleased\]/{on=1; next} /^## /{on=0} on' CHANGELOG.md)
[ -n "$(printf '%s' "$unreleased" | tr -d '[:space:]')" ] ||
  refusals+=('CHANGELOG.md has no entries under ## [Unreleased]')

echo "Release $current -> $next ($tag; $major_tag moves to it)"
echo
echo "Changelog entries that become ## [$next] - $today:"
printf '%s\n' "$unreleased" | sed '/./,$!d'
echo

steps=(
  "npm version $next --no-git-tag-version   # package.json, package-lock.json"
  "npm run package   # dist/ with the new version inlined"
  "CHANGELOG.md: ## [Unreleased] stays, empty; its entries go under ## [$next] - $today"
  "git commit -m 'Release $tag'   # package.json, package-lock.json, CHANGELOG.md, dist/"
  "git tag -a $tag -m '$tag'"
  "git tag -f -a $major_tag -m '$major_tag: $tag'   # moves the major tag"
)
if ! $apply; then
  echo 'Dry run: would do, in order:'
  printf '  %s\n' "${steps[@]}"
  echo
  if [ ${#refusals[@]} -gt 0 ]; then
    printf 'release: --apply would refuse: %s\n' "${refusals[@]}" >&2
    echo 'Nothing changed.'
    exit 1
  fi
  echo 'Nothing changed. Run again with --apply to do it (it never pushes).'
  exit 0
fi
for reason in "${refusals[@]}"; do fail "$reason"; done

npm version "$next" --no-git-tag-version --allow-same-version >/dev/null
npm run -s package
node -e '
  const fs = require("fs")
  const [version, date] = process.argv.slice(1)
  const text = fs.readFileSync("CHANGELOG.md", "utf8")
  const heading = "## [Unreleased]"
  const next = text.replace(heading, `${heading}\n\n## [${version}] - ${date}`)
  if (next === text) process.exit(1)
  fs.writeFileSync("CHANGELOG.md", next)' "$next" "$today"
git add -A package.json package-lock.json CHANGELOG.md dist
git commit -q -m "Release $tag"
git tag -a "$tag" -m "$tag"
git tag -f -a "$major_tag" -m "$major_tag: $tag" >/dev/null
echo "Committed and tagged $tag; $major_tag now points at it."
echo 'Nothing was pushed. To publish:'
echo "  git push origin HEAD $tag && git push --force origin $major_tag"
