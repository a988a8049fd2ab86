#!/usr/bin/env bash
# The main job on the embedded default: no AWS account. Starts moto (an AWS emulator) on a free loopback
# port, puts the example project's raw data in its S3, runs the bundled action (dist/index.js, with INPUT_*
# variables as the Actions runner sets them) and then the plan's groups, each in its own Python process in
# dependency order, reading and writing S3 only. Stops what it started; exits non-zero on any failure.
#
# Today the action provides `package`; until `run` (with its local executor) lands, this script runs the
# groups of the exported plan itself, one `kedro run --namespaces/--nodes` per group.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh

project_src="${1:-examples/spaceflights}"
work="$(mktemp -d)"
moto_pid=""
cleanup() {
  [ -n "$moto_pid" ] && kill "$moto_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port="$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
export AWS_ENDPOINT_URL="http://127.0.0.1:$port" MOTO_PORT="$port"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_SESSION_TOKEN=testing
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 KEDRO_DISABLE_TELEMETRY=1
echo "== starting the AWS emulator on $AWS_ENDPOINT_URL"
.venv/bin/moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 1 150); do
  curl -sf "$AWS_ENDPOINT_URL/moto-api/data.json" >/dev/null 2>&1 && break
  sleep 0.2
done

cp -r "$project_src" "$work/project"
rm -rf "$work/project/dist"
echo "== uploading raw data to the emulator's S3"
.venv/bin/python python/dev/demo_support.py upload "$work/project"

echo "== kedro-aws-action, mode: package"
outputs="$work/github_output"; : >"$outputs"
status=0
env INPUT_MODE=package "INPUT_PROJECT-PATH=$work/project" INPUT_PYTHON="$root/.venv/bin/python" \
  INPUT_ENV=aws INPUT_STAGE=demo RUNNER_TEMP="$work" GITHUB_OUTPUT="$outputs" \
  node dist/index.js || status=$?
[ "$status" -eq 0 ] || { echo "the action failed (exit $status)"; exit "$status"; }

plan="$(sed -n '/^plan<</{n;p;}' "$outputs")"
echo "== running the plan's groups in dependency order (one process each, data through S3 only)"
.venv/bin/python python/dev/demo_support.py run "$work/project" "$plan"
