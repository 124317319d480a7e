#!/usr/bin/env bash
# The main job on the embedded default: installs the Debian packages, builds in release mode,
# creates the demo registry (SQLite, var/registry.db), writes the Makran scenario feed
# (var/makran.nmea) and runs sahild on it with the shipped config. Alerts are printed as JSON
# lines on stdout; the API stays up at http://127.0.0.1:8617/api/alerts until Ctrl-C.
# Usage: scripts/demo.sh [--once]     (--once: exit when the feed has been replayed)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh >&2 # stdout carries only alerts (JSON lines)
cmake --preset release >&2
cmake --build --preset release -j "$(nproc)" --target sahil sahild >&2

bin=build/release/server
mkdir -p var
"$bin/sahil" --config config/sahil.toml registry init >&2
if [ "$("$bin/sahil" --config config/sahil.toml registry list --json | wc -l)" -eq 0 ]; then
  "$bin/sahil" --config config/sahil.toml registry import config/scenarios/makran-registry.csv >&2
fi
"$bin/sahil" simulate config/scenarios/makran.toml -o var/makran.nmea
echo "demo: $(wc -l < var/makran.nmea) AIS sentences in var/makran.nmea; starting sahild" >&2
# The API needs a signed-in user or an API token. For the demo, a local administrator and a
# 30-day token (var/demo-api-token, mode 0600); real installations add their own users.
if ! "$bin/sahil" --config config/sahil.toml user list --json | grep -q '"username":"demo-admin"'; then
  "$bin/sahil" --config config/sahil.toml user add demo-admin --role admin \
    --name "Demo administrator" >&2
fi
if [ ! -s var/demo-api-token ]; then
  (umask 077 && "$bin/sahil" --config config/sahil.toml user token demo-admin --name demo-curl \
    --days 30 > var/demo-api-token)
fi
curl_hint='curl -s -H "Authorization: Bearer $(cat var/demo-api-token)" http://127.0.0.1:8617/api/alerts'
if [ -n "$("$bin/sahil" --config config/sahil.toml alerts --limit 1)" ]; then
  echo "demo: var/registry.db already holds the alerts of an earlier run; sahild prints only new" >&2
  echo "demo: alerts, so see them with: $curl_hint  (or rm -r var/ first)" >&2
else
  echo "demo: alerts follow as JSON lines; try: $curl_hint" >&2
fi
exec "$bin/sahild" --config config/sahil.toml "$@"
