#!/usr/bin/env bash
# Measure the release console against its performance budgets: first frame (cold and from
# the cache), idle CPU and terminal output, key press to frame, and memory with 100,000
# alerts and 10,000 timeline entries. Prints a table; docs/PERFORMANCE.md explains it.
# Not part of the test suite. Takes about five minutes with the defaults.
#
#   MEASURE_BIN       the binary (default: target/release/watchroom, built if missing)
#   MEASURE_IDLE      idle seconds measured per wall (default 60)
#   MEASURE_PRESSES   key presses timed per wall (default 100)
#   MEASURE_JSON      also write every raw figure to this JSON file
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=${MEASURE_BIN:-$TARGET/release/watchroom}

command -v python3 >/dev/null || { echo "measure: needs python3" >&2; exit 2; }
if [ ! -x "$BIN" ]; then
    (cd "$ROOT" && cargo build --release --locked)
fi

echo "machine: nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "binary: $BIN ($(cd "$ROOT" && git describe --always --dirty 2>/dev/null || echo unknown))"
exec python3 "$ROOT/scripts/measure.py" --bin "$BIN" \
    --idle "${MEASURE_IDLE:-60}" --presses "${MEASURE_PRESSES:-100}"
