#!/usr/bin/env bash
# The test command (README, .ci/run): installs what it needs, checks that dist/ matches the sources,
# then runs the unit and integration tests (jest: a real moto server, real Kedro) and the Python tests, with
# the newest and the lowest Kedro the action supports.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh

export KEDRO_DISABLE_TELEMETRY=1

echo "== ruff (Python: python/, examples/, test/fixtures/; ruff.toml)"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

echo "== typecheck, lint and format (Biome), dist/ check"
npx tsc --noEmit
npx biome check --error-on-warnings
bash scripts/check-dist.sh

echo "== jest (unit + integration)"
# One worker: the integration suites share one moto server and reset it between suites.
npx jest --ci --runInBand "$@"

echo "== pytest (python/, $(.venv/bin/python -c 'import kedro; print("Kedro", kedro.__version__)'))"
.venv/bin/python -m pytest -q python/tests

echo "== package end to end with the lowest supported Kedro"
KEDRO_AWS_TEST_PYTHON="$root/.venv/kedro-lowest/bin/python" npx jest --ci --runInBand test/integration/package.test.ts

echo "== pytest (python/, the lowest supported Kedro: $(.venv/kedro-lowest/bin/python -c 'import kedro; print("Kedro", kedro.__version__)'))"
.venv/kedro-lowest/bin/python -m pytest -q python/tests
