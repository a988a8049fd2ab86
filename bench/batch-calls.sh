#!/usr/bin/env bash
# DescribeJobs calls per job-minute of waiting on a Batch run (bench/batch-calls.ts), compiled like
# bench/run.sh does: the repo's TypeScript into a temporary folder, then node. Installs nothing.
#   bash bench/batch-calls.sh [--seed 42]
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
npx --no-install tsc -p bench/tsconfig.batch.json --outDir "$out"
NODE_PATH="$PWD/node_modules" node "$out/bench/batch-calls.js" "$@"
