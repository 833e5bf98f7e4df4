#!/usr/bin/env bash
# Soak run: the demo (backend, simulator and console in one process) at high simulator
# speed in a detached tmux session, sampling the process's memory and CPU from /proc.
# Not part of the test suite. Prints one row per sample and a summary.
#
#   SOAK_SECONDS   how long to run (default 600)
#   SOAK_SPEED     simulator speed factor (default 100)
#   SOAK_EVERY     seconds between samples (default 10)
#   SOAK_BIN       the binary (default: target/release/watchroom, built if missing)
#   SOAK_SPLIT=1   run the backend and simulator as a separate `watchroom serve` process, so
#                  the samples are the console's alone (the backend's RSS is printed too)
set -euo pipefail

SECONDS_TOTAL=${SOAK_SECONDS:-600}
SPEED=${SOAK_SPEED:-100}
EVERY=${SOAK_EVERY:-10}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=${SOAK_BIN:-$TARGET/release/watchroom}

command -v tmux >/dev/null || { echo "soak: needs tmux (apt-get install tmux)" >&2; exit 2; }
if [ ! -x "$BIN" ]; then
    (cd "$ROOT" && cargo build --release --locked)
fi

SESSION="watchroom-soak-$$"
HOME_DIR=$(mktemp -d)
cleanup() {
    tmux kill-session -t "$SESSION" 2>/dev/null || true
    rm -rf "$HOME_DIR"
}
trap cleanup EXIT

# A clean home: no user config, throw-away data dir.
SERVER_PID=""
if [ "${SOAK_SPLIT:-0}" = 1 ]; then
    PORT=$((20000 + RANDOM % 20000))
    TOKEN="soak-$$"
    WATCHROOM_TOKENS=$TOKEN "$BIN" serve --demo-data --listen "127.0.0.1:$PORT" --db "$HOME_DIR/server.db" \
        --simulate --sim-speed "$SPEED" >"$HOME_DIR/serve.log" 2>&1 &
    SERVER_PID=$!
    sleep 2
    CONSOLE="$BIN --server http://127.0.0.1:$PORT --token $TOKEN --officer 测试某甲"
else
    CONSOLE="$BIN demo --sim-speed $SPEED"
fi
cleanup_server() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true; }
trap 'cleanup; cleanup_server' EXIT
tmux new-session -d -s "$SESSION" -x 120 -y 40 \
    "env HOME=$HOME_DIR XDG_CONFIG_HOME=$HOME_DIR/config XDG_DATA_HOME=$HOME_DIR/data \
     $CONSOLE; echo EXIT=\$?; sleep 5"

PID=""
for _ in $(seq 1 50); do
    PANE_PID=$(tmux list-panes -t "$SESSION" -F '#{pane_pid}' 2>/dev/null || true)
    PID=$(pgrep -P "$PANE_PID" -x watchroom 2>/dev/null || true)
    [ -z "$PID" ] && PID=$(pgrep -P "$PANE_PID" 2>/dev/null | head -1 || true)
    [ -n "$PID" ] && break
    sleep 0.2
done
[ -n "$PID" ] || { echo "soak: the demo did not start" >&2; exit 1; }

TICKS=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$PID/status"; }
threads() { awk '/^Threads:/ {print $2}' "/proc/$PID/status"; }
alerts_on_screen() {
    tmux capture-pane -t "$SESSION" -p | grep -o '预警 Alerts · [0-9]*' | grep -o '[0-9]*$' || echo "-"
}

echo "soak: pid $PID, speed ${SPEED}x, ${SECONDS_TOTAL}s, sample every ${EVERY}s"
printf '%8s %10s %8s %8s %8s %10s\n' "t/s" "RSS/MiB" "CPU%" "threads" "alerts" "server/MiB"
START=$(date +%s)
LAST_T=$START
LAST_CPU=$(cpu_ticks)
MAX_RSS=0
FIRST_RSS=""
SUM_CPU=0
N=0
while :; do
    sleep "$EVERY"
    [ -d "/proc/$PID" ] || { echo "soak: the console exited early" >&2; tmux capture-pane -t "$SESSION" -p >&2 || true; exit 1; }
    NOW=$(date +%s)
    CPU=$(cpu_ticks)
    RSS=$(rss_kib)
    PCT=$(awk -v d="$((CPU - LAST_CPU))" -v t="$((NOW - LAST_T))" -v hz="$TICKS" 'BEGIN { printf "%.1f", 100 * d / hz / (t > 0 ? t : 1) }')
    SERVER_RSS=""
    [ -n "$SERVER_PID" ] && SERVER_RSS=$(awk '/^VmRSS:/ {printf "%.1f", $2/1024}' "/proc/$SERVER_PID/status" 2>/dev/null || true)
    printf '%8d %10.1f %8s %8s %8s %10s\n' "$((NOW - START))" "$(awk -v r="$RSS" 'BEGIN{print r/1024}')" "$PCT" "$(threads)" "$(alerts_on_screen)" "$SERVER_RSS"
    [ -z "$FIRST_RSS" ] && FIRST_RSS=$RSS
    [ "$RSS" -gt "$MAX_RSS" ] && MAX_RSS=$RSS
    SUM_CPU=$(awk -v s="$SUM_CPU" -v p="$PCT" 'BEGIN{print s + p}')
    N=$((N + 1))
    LAST_T=$NOW
    LAST_CPU=$CPU
    [ $((NOW - START)) -ge "$SECONDS_TOTAL" ] && break
done

tmux send-keys -t "$SESSION" q
for _ in $(seq 1 50); do
    [ -d "/proc/$PID" ] || break
    sleep 0.2
done
STATUS=$(tmux capture-pane -t "$SESSION" -p | grep -o 'EXIT=[0-9]*' || echo "EXIT=?")
echo "summary: first RSS $(awk -v r="$FIRST_RSS" 'BEGIN{printf "%.1f", r/1024}') MiB, last $(awk -v r="$RSS" 'BEGIN{printf "%.1f", r/1024}') MiB, max $(awk -v r="$MAX_RSS" 'BEGIN{printf "%.1f", r/1024}') MiB, mean CPU $(awk -v s="$SUM_CPU" -v n="$N" 'BEGIN{printf "%.1f", s/n}')%, quit with q: $STATUS"
