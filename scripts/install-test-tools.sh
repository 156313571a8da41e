#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/test-tools.txt whose command is not on this
# machine yet, so a fresh Debian machine runs the whole suite with the README's one test command.
# Does nothing when every command is present; never upgrades what is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
while read -r command package; do
  case "$command" in ''|'#'*) continue ;; esac
  if ! command -v "$command" >/dev/null 2>&1 && [ ! -e "$command" ]; then
    missing+=("$package")
  fi
done < scripts/test-tools.txt

[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
  else
    echo "install-test-tools: not root and no sudo; install these packages yourself: ${missing[*]}" >&2
    exit 1
  fi
fi
mapfile -t unique < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "install-test-tools: installing ${unique[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# services in these packages must not start system-wide (tests start their own on loopback)
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
  $sudo chmod 755 /usr/sbin/policy-rc.d
  trap '$sudo rm -f /usr/sbin/policy-rc.d' EXIT
fi
$sudo apt-get install -y -qq --no-install-recommends "${unique[@]}" >&2
