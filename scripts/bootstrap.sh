#!/usr/bin/env bash
# Brings a fresh Debian 12 machine (or an already prepared one, quickly) to the
# point where `tsx scripts/...` can run: system packages, node_modules, Prisma client.
# Idempotent: every step checks first and does nothing when its output is current.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"

log() { printf '[bootstrap] %s\n' "$*"; }

# --- Debian packages --------------------------------------------------------
# Services are started by our own scripts on our own ports (scripts/stack), so
# the packages' system services must not start: they would hold 5432/6379/1883
# and run from /var/lib, outside the project.
APT_PACKAGES=(
  postgresql-15
  postgresql-15-postgis-3
  redis-server
  mosquitto
  mosquitto-clients
  chromium
  fonts-liberation
  # deploy/prometheus is checked by a real Prometheus and promtool
  prometheus
  # deploy/systemd is checked by systemd-analyze (absent from slim container images)
  systemd
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "[bootstrap] missing Debian packages: ${missing[*]}; run as root or install them with apt-get" >&2
    exit 1
  fi
  log "installing ${missing[*]}"
  # policy-rc.d exit 101 tells invoke-rc.d (used by the packages' postinst) not
  # to start services. Keep a pre-existing policy file untouched.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # On machines with a running systemd the policy file may be bypassed: make sure
  # the distribution's instances are stopped and stay off.
  if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
    for unit in postgresql redis-server mosquitto prometheus; do
      systemctl disable --now "$unit" >/dev/null 2>&1 || true
    done
  fi
else
  log "Debian packages present"
fi

# --- node_modules -----------------------------------------------------------
# npm writes node_modules/.package-lock.json on every install: when the lock file
# is newer, the installed tree is stale.
if [[ ! -d node_modules || ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  log "npm ci"
  npm ci --no-audit --no-fund
else
  log "node_modules current"
fi

# --- Prisma client ----------------------------------------------------------
GENERATED=server/generated/prisma/client.ts
if [[ ! -f $GENERATED || prisma/schema.prisma -nt $GENERATED ]]; then
  log "prisma generate"
  # The schema engine cannot be downloaded here and `generate` does not use it,
  # but the CLI insists that the binary exists: any file satisfies the check.
  mkdir -p .data
  touch .data/schema-engine-placeholder
  PRISMA_SCHEMA_ENGINE_BINARY="$ROOT/.data/schema-engine-placeholder" \
    PRISMA_HIDE_UPDATE_MESSAGE=1 npx prisma generate
  # generate does not touch files whose content did not change: mark it current.
  touch "$GENERATED"
else
  log "Prisma client current"
fi

log "done"
