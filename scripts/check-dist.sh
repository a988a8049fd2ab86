#!/usr/bin/env bash
# Fails when the committed dist/ does not match a fresh build of src/ (run `npm run build` and commit).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
fresh="$(mktemp -d)"
trap 'rm -rf "$fresh"' EXIT
bash scripts/build.sh "$fresh/dist"
if ! diff -r "$fresh/dist" dist >/dev/null 2>&1; then
  echo "dist/ does not match the sources: run 'npm run build' and commit dist/" >&2
  diff -r "$fresh/dist" dist --brief >&2 || true
  exit 1
fi
echo "dist/ matches the sources"
