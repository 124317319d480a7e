#!/usr/bin/env bash
# Builds the libFuzzer targets of the AIS ingest chain (clang 14, ASan + UBSan), replays
# tests/fuzz/regressions/, then fuzzes each target for SECONDS. Fails on any crash, leak, timeout
# or broken invariant; crash inputs are kept in build/fuzz/artifacts. See docs/fuzzing.md.
# Usage: scripts/fuzz.sh [SECONDS]   (default 60 per target)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -eq 0 ]; then
  echo "usage: scripts/fuzz.sh [SECONDS]   (seconds per target, default 60)" >&2
  exit 2
fi

# Idempotent; the list includes clang-14 and libclang-rt-14-dev (libFuzzer). The fuzz preset
# configures the whole project (only the fuzz targets are built), so it needs the rest too.
scripts/install-deps.sh

build=build/fuzz
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"
cmake --build --preset fuzz --target sahil_fuzz_seeds

mkdir -p "$build/artifacts" "$build/logs"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

# target  dictionary  longest input (bytes)
targets=(
  "stream_decoder tests/fuzz/nmea.dict 4096"
  "decoder tests/fuzz/payload.dict 512"
)

failed=()
for spec in "${targets[@]}"; do
  read -r target dict max_len <<<"$spec"
  bin="$build/bin/sahil_fuzz_$target"
  log="$build/logs/$target.log"

  # Inputs that once failed must pass (each file is run once).
  regressions=(tests/fuzz/regressions/"$target"/*)
  if [ -e "${regressions[0]}" ]; then
    if "$bin" "${regressions[@]}" >"$build/logs/$target-regressions.log" 2>&1; then
      echo "fuzz: $target: ${#regressions[@]} regression inputs pass"
    else
      echo "fuzz: $target: a regression input fails:" >&2
      grep -E "Running:|runtime error|ERROR:|invariant violated|^\*\*\* |#[0-9]+ 0x" \
        "$build/logs/$target-regressions.log" | head -n 40 >&2 || true
      failed+=("$target (regressions)")
    fi
  fi

  # New inputs go to build/fuzz/corpus/<target> (kept between local runs); seeds are read only.
  mkdir -p "$build/corpus/$target"
  echo "fuzz: $target: fuzzing for ${seconds}s (log: $log)"
  if "$bin" -max_total_time="$seconds" -dict="$dict" -timeout=5 -rss_limit_mb=2048 \
      -max_len="$max_len" -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" \
      "$build/corpus/$target" "$build/seeds/$target" >"$log" 2>&1; then
    grep -E "^#[0-9]+[[:space:]]+(DONE|pulse)" "$log" | tail -n 1 || true
    grep -E "^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)" "$log" || true
  else
    echo "fuzz: $target: FAILED; last lines of $log:" >&2
    tail -n 60 "$log" >&2
    failed+=("$target")
  fi
done

if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: failed: ${failed[*]}; inputs in $build/artifacts (docs/fuzzing.md: reproduce," \
       "minimise, add to tests/fuzz/regressions/)" >&2
  exit 1
fi
echo "fuzz: all targets passed"
