#!/usr/bin/env bash
# The main job on the embedded default: no AWS account, no Docker engine. Starts moto (an AWS emulator)
# and a real container registry (Debian's docker-registry, from scripts/install-registry.sh) on free
# loopback ports, puts the example project's raw data in the emulator's S3, creates the two IAM roles of
# deploy there, and runs the bundled action (dist/index.js, with INPUT_* variables as the Actions runner
# sets them) through package,build,deploy,run,verify:
#   - build (`builder: oci`): the image is built without an engine and pushed to the loopback registry
#     (`registry` input; moto's ECR names AWS's own host). The project's dependencies are installed into
#     the image layer by pip for the image's platform, downloaded from the package index (~15 s).
#     The base image is a tiny stand-in pushed here (a /var/task, a python stub, /lambda-entrypoint.sh):
#     the real AWS Lambda base image (public.ecr.aws/lambda/python) cannot be pulled without internet.
#     On GitHub-hosted runners (no `base-image` input) the real base image is used.
#   - deploy: registers the Lambda functions (the built image URI, pinned by digest) and the state
#     machine in moto;
#   - run with `executor: local`: that same state machine runs on this machine, each group in its own
#     Python process, the datasets crossing groups through the emulator's S3; then verify.
# Prints the job summary, the step's outputs and the objects written. Stops what it started (trap);
# exits non-zero when the action (verify included) fails.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh

project_src="${1:-examples/spaceflights}"
work="$(mktemp -d)"
moto_pid=""
registry_pid=""
cleanup() {
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null || true
  [ -n "$moto_pid" ] && kill "$moto_pid" 2>/dev/null && wait "$moto_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port="$(free_port)"
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

# The registry: htpasswd (bcrypt) with the login moto's ECR GetAuthorizationToken hands out, so build
# logs in the way it does on ECR. Same config as test/support/registry.ts.
registry_bin="$(command -v docker-registry || command -v registry || true)"
[ -n "$registry_bin" ] || { echo "demo: docker-registry is not installed: run 'bash scripts/install-registry.sh' as root" >&2; exit 1; }
command -v htpasswd >/dev/null || { echo "demo: htpasswd is not installed (apache2-utils): run 'bash scripts/install-registry.sh' as root" >&2; exit 1; }
registry_port="$(free_port)"
registry="127.0.0.1:$registry_port"
mkdir -p "$work/registry"
htpasswd -nbB AWS 123456789012-auth-token >"$work/registry/htpasswd"
cat >"$work/registry/config.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/registry/data
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: $registry
  secret: $(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
auth:
  htpasswd:
    realm: kedro-aws-demo
    path: $work/registry/htpasswd
EOF
echo "== starting the container registry on http://$registry"
"$registry_bin" serve "$work/registry/config.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 1 100); do
  code="$(curl -s -o /dev/null -w '%{http_code}' "http://$registry/v2/" || true)"
  [ "$code" = 401 ] || [ "$code" = 200 ] && break
  kill -0 "$registry_pid" 2>/dev/null || { cat "$work/registry.log" >&2; exit 1; }
  sleep 0.2
done

py_version="$(.venv/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
echo "== pushing a tiny stand-in of the Lambda Python base image (no internet for the real one)"
base_image="$(.venv/bin/python python/dev/demo_support.py push-base "$registry" base/lambda-python "$py_version" AWS 123456789012-auth-token)"
echo "  $base_image"

echo "== creating the IAM roles of deploy in the emulator"
roles="$(.venv/bin/python python/dev/demo_support.py roles)"
lambda_role="$(sed -n 's/^lambda=//p' <<<"$roles")"
sfn_role="$(sed -n 's/^sfn=//p' <<<"$roles")"
echo "  $lambda_role"; echo "  $sfn_role"

cp -r "$project_src" "$work/project"
rm -rf "$work/project/dist"
echo "== uploading raw data to the emulator's S3"
.venv/bin/python python/dev/demo_support.py upload "$work/project"

echo "== kedro-aws-action, mode: package,build,deploy,run,verify (builder: oci, executor: local)"
outputs="$work/github_output"; summary="$work/summary.md"; : >"$outputs"; : >"$summary"
status=0
env INPUT_MODE=package,build,deploy,run,verify INPUT_EXECUTOR=local "INPUT_PROJECT-PATH=$work/project" \
  INPUT_PYTHON="$root/.venv/bin/python" INPUT_ENV=aws INPUT_STAGE=demo \
  INPUT_BUILDER=oci INPUT_REGISTRY="$registry" "INPUT_BASE-IMAGE=$base_image" \
  "INPUT_LAMBDA-ROLE-ARN=$lambda_role" "INPUT_SFN-ROLE-ARN=$sfn_role" \
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
