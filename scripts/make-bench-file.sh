#!/usr/bin/env bash
# Builds the 1,000,000-line AIS benchmark file from tests/data/ais/bench-pool.nmea.gz
# (47,014 real sentences; see tests/data/ais/SOURCES.md): the pool concatenated in order 22
# times and cut at 1,000,000 lines, which keeps multi-sentence groups contiguous.
# Usage: scripts/make-bench-file.sh [OUT]   (default build/bench/bench-1m.nmea)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$here/build/bench/bench-1m.nmea}"
mkdir -p "$(dirname "$out")"
pool="$here/tests/data/ais/bench-pool.nmea.gz"
set +o pipefail
for _ in $(seq 22); do gzip -dc "$pool" 2>/dev/null || true; done | head -n 1000000 > "$out"
set -o pipefail
echo "$out: $(wc -l < "$out") lines, $(wc -c < "$out") bytes" >&2
