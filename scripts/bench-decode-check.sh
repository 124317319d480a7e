#!/usr/bin/env bash
# CI performance check of the AIS decoder (issue #3): runs `sahil bench decode` on the
# 1,000,000-line benchmark file and fails when a stage's time relative to the checksum-scan
# floor regresses. Ratios, not seconds, so the check holds on faster or slower machines.
# Goals (issue #3, Release build): structs <= 7x, JSON <= 25x; measured 5.4-6.2x and 14-17x.
# The limits here are a regression alarm with headroom for a loaded CI machine (-O2 app code).
# Usage: scripts/bench-decode-check.sh SAHIL_BINARY [WORK_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sahil="$1"
work="${2:-$here/build/bench}"
file="$work/bench-1m.nmea"
if [[ ! -s "$file" ]]; then
    "$here/scripts/make-bench-file.sh" "$file"
fi
exec "$sahil" bench decode "$file" --repetitions 7 --max-struct-ratio 10 --max-json-ratio 30
