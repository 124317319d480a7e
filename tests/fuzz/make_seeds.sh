#!/usr/bin/env bash
# Builds the seed corpus of the AIS fuzz targets from tests/data/ais (docs/fuzzing.md).
# Usage: tests/fuzz/make_seeds.sh DATA_DIR OUT_DIR   (the fuzz build runs it as sahil_fuzz_seeds)
#
# OUT_DIR/stream_decoder: every 20-line slice of corpus.nmea, 20-line slices spread evenly over
#   each replay log (at most 150 per log), one seed per malformed.nmea scenario (consecutive
#   lines with the same scenario id in malformed.notes.jsonl) and the whole malformed.nmea.
#   Malformed seeds start with '#' so that the target keeps their checksums as they are.
# OUT_DIR/decoder: fill-bits digit + reassembled payload of corpus.nmea messages, at most 25
#   per message type.
# Byte-exact (split/sed keep CR, NUL and a missing final newline). Needs coreutils, sed, awk.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 DATA_DIR OUT_DIR" >&2
  exit 2
fi
data=$1
out=$2
lines_per_seed=20
max_replay_seeds=150
max_payloads_per_type=25

stream="$out/stream_decoder"
payloads="$out/decoder"
rm -rf "$stream" "$payloads"
mkdir -p "$stream" "$payloads"

# Real traffic: consecutive lines keep real fragment pairs, tag-block groups and time markers.
split -l "$lines_per_seed" -d -a 4 "$data/corpus.nmea" "$stream/corpus-"

for name in replay-amsa-2012 replay-dma-2010-pghp; do
  tmp=$(mktemp -d)
  split -l "$lines_per_seed" -d -a 5 "$data/$name.nmea" "$tmp/slice-"
  slices=("$tmp"/slice-*)
  step=$(( (${#slices[@]} + max_replay_seeds - 1) / max_replay_seeds ))
  for (( i = 0; i < ${#slices[@]}; i += step )); do
    mv "${slices[$i]}" "$stream/$name-$(basename "${slices[$i]}")"
  done
  rm -rf "$tmp"
done

# Malformed scenarios: line ranges from the notes, e.g. `{"line": 17, "scenario": "C1", ...`.
sed -n 's/^{"line": \([0-9]*\), "scenario": "\([^"]*\)".*/\1 \2/p' \
    "$data/malformed.notes.jsonl" |
  awk '$2 != id { if (id != "") print first, last, id; first = $1; id = $2 } { last = $1 }
       END { if (id != "") print first, last, id }' |
  while read -r first last id; do
    { printf '#'; sed -n "${first},${last}p" "$data/malformed.nmea"; } >"$stream/malformed-$id"
  done
{ printf '#'; cat "$data/malformed.nmea"; } >"$stream/malformed-all"

# Payload seeds: reassemble corpus.nmea (fragments there are complete and in order).
awk -F, -v dir="$payloads" -v max="$max_payloads_per_type" '
  {
    at = index($0, "!")
    if (at == 0) next
    n = split(substr($0, at), f, ",")
    if (n < 7) next
    fill = substr(f[7], 1, 1)
    if (f[2] == 1) {
      payload = f[6]
    } else {
      key = f[4] "," f[5]
      part[key] = part[key] f[6]
      if (f[3] != f[2]) next
      payload = part[key]
      delete part[key]
    }
    type = substr(payload, 1, 1)
    if (++per_type[type] > max) next
    file = sprintf("%s/payload-%04d", dir, ++count)
    printf "%s%s", fill, payload > file
    close(file)
  }' "$data/corpus.nmea"

echo "make_seeds: $(find "$stream" -type f | wc -l) stream seeds, $(find "$payloads" -type f | wc -l) payload seeds in $out"
