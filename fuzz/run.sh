#!/usr/bin/env bash
# Run every fuzz target for $1 seconds (default 300), seeded from tests/corpus.
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-300}"
seed() { # target, corpus folders…
    local t="$1"; shift
    mkdir -p "corpus/$t"
    for d in "$@"; do
        find "../tests/corpus/$d" -type f -size -256k -exec cp -n {} "corpus/$t/" \;
    done
}
seed cap cap cap-atom
seed atom cap-atom
seed ical ical
seed geojson nws-json usgs-geojson
seed alertmanager alertmanager
cargo +nightly fuzz build -O
for t in cap atom ical geojson alertmanager; do
    echo "== $t: ${secs}s"
    cargo +nightly fuzz run -O "$t" "corpus/$t" -- \
        -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 2>&1 | tail -25
done
