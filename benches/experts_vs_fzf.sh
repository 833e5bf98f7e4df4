#!/usr/bin/env bash
# Expert search latency per keystroke: watchroom's index against `fzf --filter` over the same
# 100,000 synthetic experts, typed one character at a time. Prints p50/p99 for both; the
# method and the figures of the last run are in docs/PERFORMANCE.md ("Expert search").
#
#   bash benches/experts_vs_fzf.sh            # needs fzf (apt-get install -y fzf)
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
command -v fzf >/dev/null || { echo "fzf not found: apt-get install -y fzf" >&2; exit 2; }

lines="${TMPDIR:-/tmp}/watchroom-experts-100k.txt"
cargo bench --bench experts -- --keystrokes --fzf-lines "$lines"

rounds=3
us() { local t=${1/./}; echo $((10#$t)); }   # EPOCHREALTIME → microseconds
times=()
for _ in $(seq "$rounds"); do
  while IFS= read -r q; do
    start=$EPOCHREALTIME
    fzf --filter "$q" <"$lines" >/dev/null || true   # exit 1 = no match
    end=$EPOCHREALTIME
    times+=($(( $(us "$end") - $(us "$start") )))
  done <"$lines.queries"
done
# The cost of starting fzf at all, on empty input.
base=()
for _ in $(seq 20); do
  start=$EPOCHREALTIME
  fzf --filter x </dev/null >/dev/null || true
  end=$EPOCHREALTIME
  base+=($(( $(us "$end") - $(us "$start") )))
done

pct() { # pct P values… → the P-th percentile (nearest rank), in ms
  local p=$1; shift
  printf '%s\n' "$@" | sort -n | awk -v p="$p" '{v[NR]=$1} END {r=int((NR*p+99)/100); if (r<1) r=1; printf "%.3f", v[r]/1000}'
}
n=${#times[@]}
echo "fzf $(fzf --version | cut -d' ' -f1) --filter, 100,000 lines: $n keystrokes ($rounds rounds), p50 $(pct 50 "${times[@]}") ms, p99 $(pct 99 "${times[@]}") ms"
echo "fzf start-up alone (empty input): p50 $(pct 50 "${base[@]}") ms"
