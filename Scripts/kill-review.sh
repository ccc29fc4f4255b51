#!/usr/bin/env bash
# Kills a review of a generated batch (SIGKILL, as a power cut would) at random moments inside its
# allocation loop — while a background job is storing a page — then runs it again and checks that
# the next run takes the batch over and that the ledger agrees with itself (`settle check`).
# Not part of the tests (it takes a few minutes); run it after changing the review.
#
#   Scripts/kill-review.sh [KILLS] [REQUESTS]     default 8 kills of a 30,000-request review
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-8}
requests=${2:-30000}
swift build -c release --product settle 2>&1 | tail -1
settle=$PWD/.build/release/settle
work=$(mktemp -d /tmp/settle-kill-review.XXXXXX)
chmod 755 "$work"
trap '"$settle" db stop --state-dir "$work/state" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$settle" sample --requests "$requests" --seed 3 --months 2024-08 --out "$work/inbox" >/dev/null
# How long an uninterrupted review takes, to kill inside it.
"$settle" db start --state-dir "$work/state" >/dev/null
"$settle" ingest "$work/inbox/2024-08" --state-dir "$work/state" --log-format json >/dev/null 2>&1
start=$(date +%s%N)
"$settle" review --month 2024-08 --as-of 2024-09-02 --out "$work/clean" --state-dir "$work/state" \
    --log-format json >/dev/null 2>&1
full=$(( ($(date +%s%N) - start) / 1000000 ))
cp "$work/clean/2024-08/review-01/decisions.csv" "$work/decisions.clean.csv"
failed=0
finished=0
for attempt in $(seq 1 "$kills"); do
    "$settle" db stop --state-dir "$work/state" >/dev/null
    rm -rf "$work/state" "$work/out"
    "$settle" db start --state-dir "$work/state" >/dev/null
    "$settle" ingest "$work/inbox/2024-08" --state-dir "$work/state" --log-format json >/dev/null 2>&1
    delay=$(awk -v r=$RANDOM -v f="$full" 'BEGIN { printf "%.3f", (f * (0.2 + (r % 700) / 1000)) / 1000 }')
    status=0
    timeout -s KILL "$delay" "$settle" review --month 2024-08 --as-of 2024-09-02 --out "$work/out" \
        --state-dir "$work/state" --log-format json >/dev/null 2>&1 || status=$?
    if [ "$status" -ne 137 ]; then
        # Finished before the kill (a review runs faster once the machine is warm): check it as it is.
        echo "kill-review: the review finished within ${delay}s (status $status); checking it"
        finished=$((finished + 1))
        [ "$status" -eq 0 ] || { failed=$((failed + 1)); continue; }
    elif ! "$settle" review --month 2024-08 --as-of 2024-09-02 --out "$work/out" --state-dir "$work/state" \
        --log-format json >/dev/null 2>"$work/err"; then
        if grep -q "is already reviewed" "$work/err"; then
            # Killed after its commit: the next command published what it committed (recovery).
            echo "kill-review: killed after ${delay}s, after the commit; the outputs were published by recovery"
        else
            echo "kill-review: killed after ${delay}s, the next review failed: $(grep -v warning "$work/err" | tail -1)"
            failed=$((failed + 1))
            continue
        fi
    fi
    "$settle" check --state-dir "$work/state" >/dev/null || { echo "kill-review: settle check failed"; failed=$((failed + 1)); }
    cmp -s "$work/decisions.clean.csv" "$work/out/2024-08/review-01/decisions.csv" \
        || { echo "kill-review: decisions differ from the uninterrupted review"; failed=$((failed + 1)); }
done
echo "kill-review: $((kills - finished)) kills inside a ${full} ms review ($finished finished first), $failed failed"
[ "$failed" -eq 0 ]
