#!/usr/bin/env bash
# Measures generation, ingest, review and disbursement of a synthetic bundle, each as wall time,
# as a multiple of a floor measured in the same run — a raw COPY of the same redemptions.jsonl into
# a one-column table — and as peak memory (from /usr/bin/time -v). Not part of the tests: figures
# are printed, never asserted.
#
# The floor is measured twice, just before ingest and just after the review, and the stages are
# divided by the mean of the two: the speed of a virtual machine drifts over the minutes a run
# takes, and one measurement at the start compares the stages with the machine as it was then.
# The ratios to each of the two floors are printed as well.
#
#   Scripts/benchmark.sh [REQUESTS]        default 100000; the README's figures used 200000 and 1000000
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
admin=$("$settle" db url --admin --state-dir "$work/state")

declare -A seconds rss_mb
# Each step starts with the page cache written back (`sync`): a step does not pay for the disk
# writes the step before it left behind (the bundle just generated, the floor's table), as a cron
# job reading an export written hours before would not.
measure() {
    local label=$1; shift
    sync
    /usr/bin/time -v "$@" > "$work/$label.out" 2> "$work/$label.time"
    local wall rss
    wall=$(grep "Elapsed (wall clock)" "$work/$label.time" | awk '{print $NF}')
    rss=$(grep "Maximum resident set size" "$work/$label.time" | awk '{print $NF}')
    seconds[$label]=$(echo "$wall" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }')
    rss_mb[$label]=$((rss / 1024))
}

measure generate "$settle" sample --requests "$requests" --seed 7 --months 2024-08 --out "$work/inbox"
bundle="$work/inbox/2024-08/redemptions.jsonl"
echo "bundle: $(wc -l < "$bundle") request lines, redemptions.jsonl $(du -h "$bundle" | cut -f1)"

# The floor: the same bytes into a one-column table, each line one field (CSV mode with quote and
# delimiter characters that never occur, so backslashes and tabs pass untouched). It starts on a
# freshly started cluster (whose shutdown was a checkpoint: nothing the stage before wrote is
# left to flush) and the cluster is restarted after it, so that the stage measured next does not
# pay for the floor's WAL (at 1,000,000 requests it would trigger a checkpoint during ingest).
restart_cluster() {
    "$settle" db stop --state-dir "$work/state" >/dev/null
    "$settle" db start --state-dir "$work/state" >/dev/null
}
measure_floor() {
    restart_cluster
    psql "$admin" -qc "CREATE TABLE IF NOT EXISTS bench_raw (body text)" -c "TRUNCATE bench_raw"
    measure "$1" psql "$admin" -qc "\\copy bench_raw (body) FROM '$bundle' WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"
    psql "$admin" -qc "DROP TABLE bench_raw"
    restart_cluster
}
measure_floor floor_before

measure ingest "$settle" ingest "$work/inbox/2024-08" --state-dir "$work/state" --log-format json
grep "lines read" "$work/ingest.out"
measure review "$settle" review --month 2024-08 --as-of 2024-09-02 --out "$work/out" --state-dir "$work/state" --log-format json
head -4 "$work/review.out"
measure_floor floor_after
measure disburse "$settle" disburse --month 2024-08 --as-of 2024-09-09 --out "$work/out" --state-dir "$work/state" --log-format json
head -2 "$work/disburse.out"

floor=$(awk -v a="${seconds[floor_before]}" -v b="${seconds[floor_after]}" 'BEGIN { printf "%.2f", (a + b) / 2 }')
seconds[floor]=$floor
rss_mb[floor]=$(( rss_mb[floor_before] > rss_mb[floor_after] ? rss_mb[floor_before] : rss_mb[floor_after] ))
ratio() { awk -v s="$1" -v f="$2" 'BEGIN { printf "%.1f", (f > 0 ? s / f : 0) }'; }
echo
echo "floor: ${seconds[floor_before]} s before ingest, ${seconds[floor_after]} s after the review; their mean ${floor} s"
printf '%-12s %10s %10s %10s\n' stage seconds "× floor" "peak RSS"
for label in floor generate ingest review disburse; do
    printf '%-12s %10s %10s %7s MB\n' "$label" "${seconds[$label]}" "$(ratio "${seconds[$label]}" "$floor")" \
        "${rss_mb[$label]}"
done
total=$(awk -v a="${seconds[ingest]}" -v b="${seconds[review]}" 'BEGIN { printf "%.2f", a + b }')
echo "ingest + review: ${total} s = $(ratio "$total" "$floor") × the raw-COPY floor" \
    "($(ratio "$total" "${seconds[floor_before]}") × the floor before ingest," \
    "$(ratio "$total" "${seconds[floor_after]}") × the floor after the review)"
