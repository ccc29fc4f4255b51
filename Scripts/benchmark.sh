#!/usr/bin/env bash
# Measures generation, ingest and review of a synthetic bundle, printing wall time and peak
# memory (from /usr/bin/time -v) for each stage. Not part of the tests.
#
#   Scripts/benchmark.sh [REQUESTS]        default 100000; the figures in the README used 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-100000}

Scripts/bootstrap.sh
[ -x /usr/bin/time ] || { apt-get install -y -qq time >/dev/null; }
swift build -c release --product settle 2>&1 | tail -1
settle=.build/release/settle

work=$(mktemp -d /tmp/settle-bench.XXXXXX)
chmod 755 "$work"
trap '"$settle" db stop --state-dir "$work/state" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$settle" db start --state-dir "$work/state" >/dev/null

measure() {
    local label=$1; shift
    /usr/bin/time -v "$@" > "$work/$label.out" 2> "$work/$label.time"
    local wall rss
    wall=$(grep "Elapsed (wall clock)" "$work/$label.time" | awk '{print $NF}')
    rss=$(grep "Maximum resident set size" "$work/$label.time" | awk '{print $NF}')
    printf '%-10s wall %-10s peak RSS %6d MB\n' "$label" "$wall" $((rss / 1024))
}

measure generate "$settle" sample --requests "$requests" --seed 7 --months 2024-08 --out "$work/inbox"
lines=$(wc -l < "$work/inbox/2024-08/redemptions.jsonl")
size=$(du -h "$work/inbox/2024-08/redemptions.jsonl" | cut -f1)
echo "bundle: $lines request lines, redemptions.jsonl $size"
measure ingest "$settle" ingest "$work/inbox/2024-08" --state-dir "$work/state" --log-format json
grep "lines read" "$work/ingest.out"
measure review "$settle" review --month 2024-08 --as-of 2024-09-02 --out "$work/out" --state-dir "$work/state" --log-format json
head -4 "$work/review.out"
measure disburse "$settle" disburse --month 2024-08 --as-of 2024-09-09 --out "$work/out" --state-dir "$work/state" --log-format json
head -2 "$work/disburse.out"
