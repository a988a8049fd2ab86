#!/usr/bin/env bash
# Compile the bench (and the src/ files it imports) with the repo's TypeScript into a temporary
# folder, then run it with node. Nothing beyond the repo's dev dependencies is needed.
#   bash bench/run.sh              # makespan bench, 1,000 random DAGs (simulated from the definitions)
#   bash bench/run.sh --dags 200   # fewer
#   bash bench/run.sh --execute    # executed: levels, dag and exact run by the local executor (a few minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
npx --no-install tsc -p bench/tsconfig.json --outDir "$out"
if [[ "${1:-}" == "--execute" ]]; then
  shift
  # test/support finds the repo's python/ and .venv/ beside its compiled copy.
  ln -s "$PWD/python" "$out/python"
  ln -s "$PWD/.venv" "$out/.venv"
  NODE_PATH="$PWD/node_modules" node "$out/bench/execute.js" "$@"
else
  NODE_PATH="$PWD/node_modules" node "$out/bench/makespan.js" "$@"
fi
