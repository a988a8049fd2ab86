#!/usr/bin/env bash
# Compile the bench (and the src/ files it imports) with the repo's TypeScript into a temporary
# folder, then run it with node. Nothing beyond the repo's dev dependencies is needed.
#   bash bench/run.sh              # makespan bench, 1,000 random DAGs
#   bash bench/run.sh --dags 200   # fewer
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
npx --no-install tsc -p bench/tsconfig.json --outDir "$out"
NODE_PATH="$PWD/node_modules" node "$out/bench/makespan.js" "$@"
