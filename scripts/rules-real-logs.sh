#!/usr/bin/env bash
# Replays the real public AIS logs (../shared/testdata/ais) through the rules and prints the
# alerts per rule and severity and the rate of actionable alerts (warning + critical) per hour of
# log time: once with the shipped Pakistani config, once with region harbours for the AMSA log
# (tests/data/rules-region). Used for docs/rules.md "Alert rate on real logs".
# Usage: scripts/rules-real-logs.sh [SAHIL_BINARY]   (default build/ci/server/sahil)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sahil=${1:-$root/build/ci/server/sahil}
data=${SAHIL_TESTDATA:-$root/../shared/testdata/ais}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

make_config() { # $1 = output file, $2 = harbour layer
  sed -e "s|^registry_db = .*|registry_db = \"$work/registry.db\"|" \
      -e "s|= \"geo/|= \"$root/config/geo/|" \
      -e "s|^pii_key_file = .*|pii_key_file = \"\"|" \
      -e "s|^photo_dir = .*|photo_dir = \"$work/photos\"|" \
      "$root/config/sahil.toml" > "$1"
  sed -i "s|^harbours = .*|harbours = \"$2\"|" "$1"
}

report() { # $1 = label, $2 = config, $3 = log, $4 = log span in seconds
  local out="$work/alerts.jsonl"
  rm -f "$work"/registry.db*
  "$sahil" -c "$2" replay "$3" > "$out" 2> "$work/err" || { cat "$work/err"; exit 1; }
  python3 - "$1" "$out" "$4" <<'PY'
import json, sys, collections
label, path, span = sys.argv[1], sys.argv[2], float(sys.argv[3])
alerts = [json.loads(l) for l in open(path)]
by = collections.Counter((a["rule"], a["severity"]) for a in alerts)
actionable = sum(v for (r, s), v in by.items() if s != "info")
print(f"{label}: {len(alerts)} alerts in {span/60:.1f} min of log; actionable (warning+critical) "
      f"{actionable} = {actionable * 3600 / span:.1f}/h")
for (r, s), v in sorted(by.items()):
    print(f"  {r:28s} {s:9s} {v}")
PY
}

make_config "$work/pk.toml" "$root/config/geo/harbours.geojson"
make_config "$work/au.toml" "$root/tests/data/rules-region/amsa-harbours.geojson"
# Log spans from the $PGHP/$GPZDA time markers (replay-*.summary.json): AMSA 09:58:26-10:05:19,
# DMA 11:46:11-11:46:38.
report "AMSA 2012, Pakistani config" "$work/pk.toml" "$data/replay-amsa-2012.nmea" 413
report "AMSA 2012, AMSA region harbours" "$work/au.toml" "$data/replay-amsa-2012.nmea" 413
report "DMA 2010, Pakistani config" "$work/pk.toml" "$data/replay-dma-2010-pghp.nmea" 27
