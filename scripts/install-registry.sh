#!/usr/bin/env bash
# Installs what the oci builder's integration tests need, where it is missing:
#   - Debian's docker-registry (the CNCF distribution registry 2.8, binary docker-registry), run by
#     test/support/registry.ts on a free loopback port with a config of the test's own;
#   - apache2-utils for htpasswd -B (the registry's htpasswd auth accepts bcrypt entries only).
# Needs root (apt-get); without it, says what to install and exits 0 so the rest of setup goes on
# (the registry tests then fail with the same message).
set -euo pipefail

missing=()
command -v docker-registry >/dev/null 2>&1 || [ -x /usr/bin/docker-registry ] || missing+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || missing+=(apache2-utils)
if [ "${#missing[@]}" -eq 0 ]; then exit 0; fi

sudo=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; fi
if { [ "$(id -u)" -ne 0 ] && [ -z "$sudo" ]; } || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-registry: not root or no apt-get: install ${missing[*]} (Debian packages) for the registry tests" >&2
  exit 0
fi
echo "install-registry: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# The package lists may be empty on a fresh machine: update once, then install.
if ! $sudo apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The package starts a registry service on :5000 where a service manager runs; the tests start
# their own, so stop that one when it is there (harmless when it is not).
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker-registry 2>/dev/null; then
  $sudo systemctl stop docker-registry || true
fi
