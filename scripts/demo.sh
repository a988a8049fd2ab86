#!/usr/bin/env bash
# The main job on the embedded default: no AWS account. Starts moto (an AWS emulator) on a free loopback
# port, puts the example project's raw data in its S3, and runs the bundled action (dist/index.js, with
# INPUT_* variables as the Actions runner sets them) through package,run,verify with `executor: local`:
# the state machine deploy would create runs on this machine, each group in its own Python process, the
# datasets crossing groups through the emulator's S3. Prints the job summary and where the outputs are.
# Stops what it started; exits non-zero when verify fails.
#
# Not in the chain yet: build (the image) and deploy (which needs an image).
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

echo "== kedro-aws-action, mode: package,run,verify (executor: local)"
outputs="$work/github_output"; summary="$work/summary.md"; : >"$outputs"; : >"$summary"
status=0
env INPUT_MODE=package,run,verify INPUT_EXECUTOR=local "INPUT_PROJECT-PATH=$work/project" \
  INPUT_PYTHON="$root/.venv/bin/python" INPUT_ENV=aws INPUT_STAGE=demo \
  RUNNER_TEMP="$work" GITHUB_OUTPUT="$outputs" GITHUB_STEP_SUMMARY="$summary" \
  node dist/index.js || status=$?

echo; echo "== job summary"; cat "$summary"
echo "== outputs of the step"
node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n");
  const out = {};
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i]);
    if (!m) continue;
    const value = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]);
    out[m[1]] = value.join("\n");
  }
  for (const [k, v] of Object.entries(out)) console.log(`  ${k}: ${v}`);
' "$outputs"
echo "== objects in the emulator's S3"
.venv/bin/python python/dev/demo_support.py list
[ "$status" -eq 0 ] || { echo "the action failed (exit $status)"; exit "$status"; }
echo "verify passed"
