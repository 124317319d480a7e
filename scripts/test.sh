#!/usr/bin/env bash
# Installs the Debian packages, builds everything with warnings as errors, runs the whole
# test suite (ctest), then fuzzes the AIS ingest chain for 60 s per target (scripts/fuzz.sh,
# clang 14). Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset ci >/dev/null
cmake --build --preset ci -j "$(nproc)"
ctest --preset ci -j "$(nproc)"
scripts/fuzz.sh 60
