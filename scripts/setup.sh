#!/usr/bin/env bash
# Installs what the tests and the local demo need, reusing what is already there:
#   node_modules/ (npm ci, when package-lock.json changed) and .venv/ (Python: Kedro, kedro-datasets,
#   s3fs, moto) from test/requirements.txt, .venv/kedro-lowest/ (the same with the lowest supported Kedro)
#   from test/requirements-kedro-lowest.txt (each reinstalled when its file changed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

stamp() { sha256sum "$@" | sha256sum | cut -c1-16; }

# Node: the action's own dependencies and the test tools.
if ! command -v node >/dev/null; then echo "setup: node (20 or later) is required" >&2; exit 1; fi
lock_stamp="$(stamp package-lock.json)"
if [ ! -f node_modules/.setup-stamp ] || [ "$(cat node_modules/.setup-stamp)" != "$lock_stamp" ]; then
  echo "setup: installing node modules"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_stamp" > node_modules/.setup-stamp
fi

# Python: a virtual environment kept in .venv (ignored by git), reused when present.
python="${PYTHON:-python3}"
if ! command -v "$python" >/dev/null; then echo "setup: $python (3.10 or later) is required" >&2; exit 1; fi
req_stamp="$(stamp test/requirements.txt)"
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$python" -m venv .venv
fi
if [ ! -f .venv/.setup-stamp ] || [ "$(cat .venv/.setup-stamp)" != "$req_stamp" ]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r test/requirements.txt
  echo "$req_stamp" > .venv/.setup-stamp
fi

# The lowest Kedro the action supports (MIN_KEDRO_VERSION in python/kedro_aws_action/common.py): the Python
# tests run in this venv too, so both ends of the supported range are tested.
lowest_stamp="$(stamp test/requirements-kedro-lowest.txt)"
if [ ! -x .venv/kedro-lowest/bin/python ]; then
  echo "setup: creating .venv/kedro-lowest"
  "$python" -m venv .venv/kedro-lowest
fi
if [ ! -f .venv/kedro-lowest/.setup-stamp ] || [ "$(cat .venv/kedro-lowest/.setup-stamp)" != "$lowest_stamp" ]; then
  echo "setup: installing Python packages into .venv/kedro-lowest"
  .venv/kedro-lowest/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/kedro-lowest/bin/python -m pip install --quiet --disable-pip-version-check -r test/requirements-kedro-lowest.txt
  echo "$lowest_stamp" > .venv/kedro-lowest/.setup-stamp
fi

# checkov (bootstrap/template.yml's linter) pins boto3/botocore far below what moto needs: its own venv.
lint_stamp="$(stamp bootstrap/requirements-lint.txt)"
if [ ! -x .venv/checkov/bin/python ]; then
  echo "setup: creating .venv/checkov"
  "$python" -m venv .venv/checkov
fi
if [ ! -f .venv/checkov/.setup-stamp ] || [ "$(cat .venv/checkov/.setup-stamp)" != "$lint_stamp" ]; then
  echo "setup: installing checkov into .venv/checkov"
  .venv/checkov/bin/python -m pip install --quiet --disable-pip-version-check -r bootstrap/requirements-lint.txt
  echo "$lint_stamp" > .venv/checkov/.setup-stamp
fi

# The container registry the build tests push to (Debian docker-registry 2.8, htpasswd).
bash scripts/install-registry.sh
