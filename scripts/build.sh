#!/usr/bin/env bash
# Bundles the action into a folder (default dist/): the main step (src/index.ts, with the local
# executor as a chunk of its own, loaded only for `executor: local`) and the post step
# (src/post/index.ts, minified: it must stay small). check-dist.sh builds with this same script.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${1:-dist}"
rm -rf "$out"
npx ncc build src/index.ts -o "$out" --license licenses.txt >/dev/null
npx ncc build src/post/index.ts -o "$out/post" --minify --license licenses.txt >/dev/null
